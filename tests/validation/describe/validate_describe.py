#!/usr/bin/python3
"""Accuracy of sml-describe on labelled problem statements.

    /usr/bin/python3 tests/validation/describe/validate_describe.py [path/to/sml-describe] [--verbose] [--set NAME]

Sets: problems.yaml (133 statements written together with the task vocabulary: the tuning set,
partly in-sample) and the held-out sets, never tuned on: heldout.yaml (80 statements by someone who
never saw the vocabulary), heldout-none.yaml (30 requests that are not learning problems) and
heldout-2.yaml (100 statements retold from public competitions, data set cards and forum questions,
each with its source; 20 with typos, 10 not ML). heldout-3.yaml (40 statements written in round 4
before the reader was changed, 10 with typos, 8 not ML) is the check set of round 4, reported on its
own line so the earlier pool stays comparable; heldout-4.yaml (48 statements written in round 5 before
the reader was changed, 13 with typos, 10 not ML) is the check set of round 5, likewise; heldout-5.yaml (52
statements written in round 6 before the reader was changed, 13 with typos, 10 not ML) is the check set of round 6; heldout-6.yaml (50 statements written in round 7 before the
reader was changed, 15 with typos or non-native grammar, 10 not ML) is the check set of round 7; heldout-7.yaml (30 statements written in round 8 before the
reader was changed, 9 with typos, 6 not ML) is the check set of round 8; heldout-8.yaml (30 statements written in round 9 before the
reader was changed, 9 with typos, 8 not ML) is the check set of round 9; heldout-9.yaml (30 statements written in round 10 before the
reader was changed, 8 with typos, 8 not ML) is the check set of round 10; heldout-10.yaml (30 statements written in round 11
before the reader was changed, 10 with typos, 9 not ML) is the check set of round 11; heldout-11.yaml (30 statements
written in round 12 before the reader was changed, 9 with typos, 15 not ML, each non-ML request paired with an ML near
neighbour) is scored untuned at the commit that adds it and then TUNED ON in round 12 (heldout-10 stays its check); heldout-12.yaml
(30 statements retold from cited public posts, issues and competition pages in round 13 before the reader was changed,
8 with typos, 11 not ML) was scored untuned at the commit that adds it; round 13 then fixed the failure classes it showed,
so its later figures are not a clean check; heldout-13.yaml (30 statements retold from cited public posts in round 14
before the reader was changed, 7 with typos, 12 not ML, weighted to forecasting, recommendation, graphs, RL, video and
speech) is the check set of round 14, reported on its own line and never tuned on; heldout-14.yaml (51 statements
retold from cited public posts in round 15 before the reader was changed, 2 with typos, 18 not ML) is the check set
of round 15, reported on its own line; heldout-15.yaml (44 statements retold from cited public posts in round 16
before the reader was changed, 3 with typos, 7 not ML, weighted to hand signs, listing prices, e-mail classes,
document types, sensor activity and zero-shot topics) is the check set of round 16's task reading; heldout-16.yaml (36 statements retold from cited public posts in round 17
before the reader was changed, weighted to numbers, devices and places, 14 not ML) is the check set of that round's
constraint, device, place and not-ML work, reported on its own line; heldout-18.yaml (44 statements retold from
cited public issues in round 19 before the reader was changed, 18 not ML but close to it, 26 naming devices and
places, 4 misspelt) is the check set of round 19's not-ML, device and place work; heldout-17.yaml (48 statements retold from cited
public posts in round 19 before the reader was changed, weighted to the tasks the older sets label least, 6 misspelt
or informal, 8 not ML) is the check set of that round's task reading; heldout-19.yaml (56 statements retold from cited
public issues in round 20 before it was scored, 44 learning problems over all 30 tasks, 12 not ML but near it, 7 misspelt
or informal, weighted to numbers, devices and places) is a check set of round 20's reader, reported on its own line;
heldout-20.yaml (76 statements retold from cited public issues, project pages and a competition's rules in round 21
before it was scored, 63 learning problems over all 30 tasks, 13 not ML but near it, 11 misspelt or informal) is the
clean check of round 21's reader, reported on its own line, never pooled and never trained on (train_learning_scorer.py
leaves it out); heldout-21.yaml (82 statements retold from cited public issues, pull requests and a competition's problem
statement in round 22 before it was scored, 65 learning problems over all 30 tasks, 17 not ML, 14 misspelt or informal)
was the clean check of round 22's reader (scored untuned there: top-1 0.892); from round 23 its misses are read and
the reader and the not-ML scorer are TUNED ON it (train_learning_scorer.py trains on it), so its later figures are no
clean check; it stays on its own line, in no pool and under no floor. heldout-22.yaml (82 statements retold from cited
public issues and pull requests of 82 repositories no other set cites, in round 23 before it was scored, 65 learning
problems over all 30 tasks, 17 not ML but near it, 16 misspelt or informal) is the clean check of round 23's reader,
on its own line, in no pool and under no floor; from round 24 train_learning_scorer.py and train_task_scorer.py
train on it (scored once untuned on round 23's final reader: top-1 0.831), so its later figures are no clean check. heldout-23.yaml (80
statements retold from cited public issues, pull requests, a project README and public pages that no other set cites, in
round 24 before it was scored, 63 learning problems over all 30 tasks, 17 not ML, 20 misspelt or informal) is the clean
check of round 24's reader, written without reading the reader's source, on its own line, in no pool, under no
floor (its task top-1 decided once, in round 24, that the learned task scorer does not ship); from round 25 its task,
constraint and region misses are read and the reader is TUNED ON it, so its later figures are no clean check. heldout-24.yaml (86 statements retold from cited public
issues, pull requests, web pages and competition pages that no other set cites, in round 25 before it was scored, 68
learning problems over all 30 tasks, 18 not ML, 21 misspelt or informal) is the clean check of round 25's reader, written
without reading the reader's source, on its own line, in no pool, under no floor and read by no training step. heldout-25.yaml
(127 statements retold from cited public issues, pull requests and web pages that no other set cites, in round 26
before it was scored, 93 learning problems over all 30 tasks, 34 not ML, 33 misspelt or informal) is the clean check of
round 26's reader, written without reading the reader's source, rules, lexicon or any set's misses, on its own line, in no
pool, under no floor and read by no training step; from round 27 its task and not-ML misses are read and the
reader is TUNED ON it (describe39), so its later figures are no clean check. heldout-26.yaml (142 statements retold from cited
public issues, pull requests and web pages that no other set cites, in round 27 before it was scored, 109 learning
problems over all 30 tasks, 33 not ML, 28 misspelt or informal) is the clean check of round 27's reader, written without
reading the reader's source, rules, lexicon or any set's misses, on its own line, in no pool, under no floor and read by
no training step. heldout-27.yaml (156 statements quoted from cited public issues, pull requests, READMEs and web
pages that no other set cites, in round 28 before it was scored, 122 learning problems over all 30 tasks, 34 not ML,
36 misspelt or informal) is the clean check of round 28's reader, written without reading the reader's source, rules,
lexicon or any set's misses, on its own line, in no pool, under no floor and read by no training step. dev.yaml (36 statements written while fixing the
reader's general faults, 9 with typos, 8 not ML) is reported on its own, never pooled. `--set heldout-all` (the default) pools the three
held-out sets; `--set all` prints every set and the pool.

Reports, per set:
- task top-1 / top-3: the first (first three) task ids include the label or one of its also_ok ids;
  a statement with a task that sml-describe rejects (task: null) counts as a miss;
- ML requests wrongly rejected (task: null) and non-ML requests rejected (task: null);
- constraint precision and recall over the (key, value) pairs of `constraints` and of
  `deployment.queries_per_day/years`, values equal within 1%; then, per key, right / given but not
  labelled (+) / labelled but not given (-);
- device class recall: labelled deployment.device_class (phone, laptop, desktop: a kind of machine
  named rather than a model) found exactly (heldout-8 on);
- device recall and region recall: labelled deployment.device / deployment.region found exactly
  (on statements labelled with a task: a declined request has no deployment to read; a region
  that is a subdivision of the labelled country, "US-CA" for "US", counts as found), and devices or
  regions given where none is labelled (wrong ones; not counted on statements labelled not ML,
  which carry no place labels);
- languages: statements with a `languages` label whose every labelled key matches (source and target
  as sets of ISO 639-1 codes, count as a number).
Timing is printed by bench/describe_speed.sh, not here.
"""
import json
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
VERBOSE = "--verbose" in sys.argv
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "heldout-all"
SETS = ["problems", "dev", "heldout", "heldout-none", "heldout-2", "heldout-3", "heldout-4", "heldout-5", "heldout-6", "heldout-7", "heldout-8", "heldout-9", "heldout-10", "heldout-11", "heldout-12", "heldout-13", "heldout-14", "heldout-15", "heldout-16", "heldout-17", "heldout-18", "heldout-19", "heldout-20", "heldout-21", "heldout-22", "heldout-23", "heldout-24", "heldout-25", "heldout-26", "heldout-27"]
VALUED = ("--set", "--min-top1", "--min-rejected")
TOOL = next((a for i, a in enumerate(sys.argv[1:], 1) if not a.startswith("--") and sys.argv[i - 1] not in VALUED),
            os.path.join(ROOT, "build/tools/sml-describe"))
PLACE_KEYS = ("device", "region")


def pairs(d, keys=None):
    out = set()
    for k, v in (d or {}).items():
        if v is None or isinstance(v, (list, dict)) or (keys is not None and k not in keys):
            continue
        out.add((k, v if isinstance(v, str) else float(v)))
    return out


def same(a, b):
    if a[0] != b[0]:
        return False
    if isinstance(a[1], str) or isinstance(b[1], str):
        return a[1] == b[1]
    return abs(a[1] - b[1]) <= 0.01 * max(abs(a[1]), abs(b[1]))


class Tally:
    def __init__(self):
        self.__dict__.update(n=0, n_task=0, n_none=0, top1=0, top3=0, wrongly_rejected=0, rejected=0,
                             tp=0, fp=0, fn=0, dev_want=0, dev_ok=0, dev_extra=0, reg_want=0, reg_ok=0, reg_extra=0,
                             typo=0, typo_top1=0, lang_want=0, lang_ok=0, cls_want=0, cls_ok=0)
        # Per constraint key: [right, given but not labelled, labelled but not given].
        self.kinds = {}

    def kind(self, key, i):
        self.kinds.setdefault(key, [0, 0, 0])[i] += 1

    def add(self, other):
        for k, v in other.__dict__.items():
            if k == "kinds":
                for key, counts in v.items():
                    self.kinds[key] = [a + b for a, b in zip(self.kinds.get(key, [0, 0, 0]), counts)]
            else:
                setattr(self, k, getattr(self, k) + v)


def run(p):
    out = subprocess.run([TOOL, "--format", "json", p["text"]], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("FAILED %s: %s" % (p["id"], out.stderr.strip()))
    return json.loads(out.stdout)


def evaluate(name):
    problems = yaml.safe_load(open(os.path.join(HERE, name + ".yaml")))["problems"]
    t = Tally()
    for p in problems:
        doc = run(p)
        t.n += 1
        task = doc.get("task")
        ranked = [task["id"]] + [a["id"] for a in task["alternatives"]] if task else []
        ok = {p["task"]} | set(p.get("also_ok") or [])
        if p["task"] == "none":
            t.n_none += 1
            t.rejected += task is None
            if VERBOSE and task is not None:
                print("NOT REJECTED", p["id"], ranked[:2], task["confidence"], p["text"][:90])
        else:
            t.n_task += 1
            hit = bool(ranked) and ranked[0] in ok
            t.top1 += hit
            t.top3 += any(r in ok for r in ranked[:3])
            t.wrongly_rejected += task is None
            if p.get("typo"):
                t.typo += 1
                t.typo_top1 += hit
            if VERBOSE and not hit:
                print("MISS", p["id"], "want", p["task"], "got", ranked[:3] or doc.get("task_reason"),
                      task and task["confidence"], p["text"][:90])
        want = pairs(p.get("constraints")) | pairs(p.get("deployment"), ("queries_per_day", "years"))
        got = pairs(doc.get("constraints")) | pairs(doc.get("deployment"), ("queries_per_day", "years"))
        matched = {w for w in want if any(same(w, g) for g in got)}
        extra = [g for g in got if not any(same(g, w) for w in want)]
        t.tp += len(matched)
        t.fn += len(want) - len(matched)
        t.fp += len(extra)
        for w in matched:
            t.kind(w[0], 0)
        for g in extra:
            t.kind(g[0], 1)
        for w in want - matched:
            t.kind(w[0], 2)
        if VERBOSE and (len(matched) < len(want) or extra):
            print("CONSTRAINTS", p["id"], "missed", sorted(map(str, want - matched)), "extra", sorted(map(str, extra)), "|", p["text"][:100])
        wd, gd = p.get("deployment") or {}, doc.get("deployment") or {}
        if p["task"] == "none":
            # A request that is not ML is declined: the reader reports no deployment for it and
            # sml-suggest costs nothing there, so a region or device labelled on one is not scored
            # (it would count a right rejection as a missed region). One convention for every set.
            wd = {k: v for k, v in wd.items() if k not in PLACE_KEYS}
        for key, want_n, ok_n, extra_n in (("device", "dev_want", "dev_ok", "dev_extra"), ("region", "reg_want", "reg_ok", "reg_extra")):
            if key in wd:
                # A grid subdivision of the labelled country is right ("Altadena, CA" labelled US,
                # read US-CA): the labels name countries where the writer gives a town, and the
                # state's grid is the finer answer to where the power comes from. The reverse (a
                # subdivision labelled, the country read) stays a miss.
                right = gd.get(key) == wd[key] or (key == "region" and str(gd.get(key) or "").startswith(wd[key] + "-"))
                setattr(t, want_n, getattr(t, want_n) + 1)
                setattr(t, ok_n, getattr(t, ok_n) + right)
                if VERBOSE and not right:
                    print(key.upper(), p["id"], "want", wd[key], "got", gd.get(key), gd.get("device_text"), "|", p["text"][:90])
            elif gd.get(key) and p["task"] != "none":
                # A request that is not ML carries no device or place label by the convention above,
                # so a device it names is not one "given where none stated".
                setattr(t, extra_n, getattr(t, extra_n) + 1)
                if VERBOSE:
                    print(key.upper() + " EXTRA", p["id"], gd.get(key), "|", p["text"][:90])
        if "device_class" in wd:
            t.cls_want += 1
            t.cls_ok += gd.get("device_class") == wd["device_class"]
            if VERBOSE and gd.get("device_class") != wd["device_class"]:
                print("DEVICE CLASS", p["id"], "want", wd["device_class"], "got", gd.get("device_class"), "|", p["text"][:90])
        if p.get("languages"):
            gl = doc.get("languages") or {}
            ok_l = all(sorted(gl.get(k) or []) == sorted(v) if isinstance(v, list) else gl.get(k) == v
                       for k, v in p["languages"].items())
            t.lang_want += 1
            t.lang_ok += ok_l
            if VERBOSE and not ok_l:
                print("LANGUAGES", p["id"], "want", p["languages"], "got", gl, "|", p["text"][:90])
    return t


def report(name, t):
    r = lambda a, b: "%.3f (%d/%d)" % (a / b, a, b) if b else "n/a"
    print("sml-describe on %s: %d statements (%d with a task, %d not ML)" % (name, t.n, t.n_task, t.n_none))
    if t.n_task:
        print("  task top-1 accuracy        %s" % r(t.top1, t.n_task))
        print("  task top-3 accuracy        %s" % r(t.top3, t.n_task))
        print("  ML requests rejected       %d" % t.wrongly_rejected)
    if t.typo:
        print("  top-1 on misspelt ones     %s" % r(t.typo_top1, t.typo))
    if t.n_none:
        print("  non-ML requests rejected   %s" % r(t.rejected, t.n_none))
    print("  constraints: precision %s, recall %s" % (r(t.tp, t.tp + t.fp), r(t.tp, t.tp + t.fn)))
    if t.kinds:
        # One line per set: each key's right / given-but-unlabelled / labelled-but-missed counts,
        # so that a change of precision can be traced to the kind that moved it.
        print("  constraints by kind: " + ", ".join("%s %d/+%d/-%d" % (k, *v) for k, v in sorted(t.kinds.items())))
    print("  devices: recall %s, given where none stated %d" % (r(t.dev_ok, t.dev_want), t.dev_extra))
    if t.cls_want:
        print("  device classes right       %s" % r(t.cls_ok, t.cls_want))
    print("  regions: recall %s, given where none stated %d" % (r(t.reg_ok, t.reg_want), t.reg_extra))
    if t.lang_want:
        print("  languages right            %s" % r(t.lang_ok, t.lang_want))


def floor(flag):
    return float(sys.argv[sys.argv.index(flag) + 1]) if flag in sys.argv else None


def main():
    names = SETS if SET == "all" else ["heldout", "heldout-none", "heldout-2"] if SET == "heldout-all" else [SET]
    pool = Tally()
    for name in names:
        t = evaluate(name)
        report(name + ".yaml", t)
        if name not in ("problems", "dev", "heldout-3", "heldout-4", "heldout-5", "heldout-6", "heldout-7", "heldout-8", "heldout-9", "heldout-10", "heldout-11", "heldout-12", "heldout-13", "heldout-14", "heldout-15", "heldout-16", "heldout-17", "heldout-18", "heldout-19", "heldout-20", "heldout-21", "heldout-22", "heldout-23", "heldout-24", "heldout-25", "heldout-26", "heldout-27"):
            pool.add(t)
    if len(names) > 1 and pool.n:
        report("all held-out sets (heldout, heldout-none, heldout-2)", pool)
    # Floors for the test suite (--min-top1 X --min-rejected X): a regression fails it.
    status = 0
    for flag, value in (("--min-top1", pool.top1 / max(1, pool.n_task)), ("--min-rejected", pool.rejected / max(1, pool.n_none))):
        if floor(flag) is not None and value < floor(flag):
            print("BELOW FLOOR %s %.3f < %s" % (flag, value, floor(flag)))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
