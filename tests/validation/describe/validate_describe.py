#!/usr/bin/python3
"""Accuracy of sml-describe on labelled problem statements.

    /usr/bin/python3 tests/validation/describe/validate_describe.py [path/to/sml-describe] [--verbose] [--set heldout]

Two sets: problems.yaml (133 statements, written together with the task vocabulary, so partly
in-sample) and heldout.yaml (80 statements written by someone who never saw the vocabulary: the
fairer figure). --set all runs both.

Prints task accuracy (top-1: the first task is the label or one of its also_ok ids; top-3: one of
the first three is), how the statements that fit no task fared (confidence below the tool's
low-confidence mark counts as right), and constraint extraction precision and recall over
(key, value) pairs, values equal within 1%. Also the time per description.
"""
import json
import os
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
VERBOSE = "--verbose" in sys.argv
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "problems"
TOOL = next((a for a in sys.argv[1:] if not a.startswith("--") and a not in ("problems", "heldout", "heldout-none", "all")),
            os.path.join(ROOT, "build/tools/sml-describe"))
LOW = 0.35  # sml::describe::kLowConfidence


def pairs(d):
    return {(k, float(v)) if not isinstance(v, str) else (k, v) for k, v in (d or {}).items()}


def same(a, b):
    if a[0] != b[0]:
        return False
    if isinstance(a[1], str) or isinstance(b[1], str):
        return a[1] == b[1]
    return abs(a[1] - b[1]) <= 0.01 * max(abs(a[1]), abs(b[1]))


def main():
    names = ["problems", "heldout", "heldout-none"] if SET == "all" else [SET]
    status = 0
    for name in names:
        status |= evaluate(name)
    return status


def evaluate(name):
    problems = yaml.safe_load(open(os.path.join(HERE, name + ".yaml")))["problems"]
    top1 = top3 = n_task = none_ok = n_none = task_low = 0
    tp = fp = fn = 0
    elapsed = []
    for p in problems:
        start = time.perf_counter()
        out = subprocess.run([TOOL, "--format", "json", p["text"]], capture_output=True, text=True)
        elapsed.append(time.perf_counter() - start)
        if out.returncode != 0:
            print("FAILED", p["id"], out.stderr.strip())
            return 1
        doc = json.loads(out.stdout)
        ranked = [doc["task"]["id"]] + [a["id"] for a in doc["task"]["alternatives"]]
        conf = doc["task"]["confidence"]
        ok = {p["task"]} | set(p.get("also_ok") or [])
        if p["task"] == "none":
            n_none += 1
            none_ok += conf < LOW
            if VERBOSE and conf >= LOW:
                print("NONE?", p["id"], ranked[0], conf, p["text"][:90])
        else:
            n_task += 1
            top1 += ranked[0] in ok
            top3 += any(r in ok for r in ranked[:3])
            task_low += conf < LOW
            if VERBOSE and ranked[0] not in ok:
                print("MISS", p["id"], "want", p["task"], "got", ranked[:3], conf, p["text"][:90])
        want = pairs(p.get("constraints")) | pairs(p.get("deployment"))
        got = pairs(doc.get("constraints")) | pairs(doc.get("deployment"))
        matched = {w for w in want if any(same(w, g) for g in got)}
        tp += len(matched)
        fn += len(want) - len(matched)
        extra = [g for g in got if not any(same(g, w) for w in want)]
        fp += len(extra)
        if VERBOSE and (len(matched) < len(want) or extra):
            print("CONSTRAINTS", p["id"], "missed", sorted(map(str, want - matched)), "extra", sorted(map(str, extra)), "|", p["text"][:100])
    print("sml-describe on %s.yaml: %d labelled statements (%d with a task, %d fitting none)" % (name, len(problems), n_task, n_none))
    if n_task:
        print("  task top-1 accuracy  %.3f (%d/%d)" % (top1 / n_task, top1, n_task))
        print("  task top-3 accuracy  %.3f (%d/%d)" % (top3 / n_task, top3, n_task))
    if n_none:
        print("  fits-none statements given low confidence  %d/%d" % (none_ok, n_none))
    if n_task:
        print("  statements with a task given low confidence  %d/%d" % (task_low, n_task))
    print("  constraints and deployment: precision %.3f, recall %.3f (%d found right, %d wrong, %d missed)"
          % (tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn))
    elapsed.sort()
    print("  time per description (whole process, median): %.0f ms" % (1000 * elapsed[len(elapsed) // 2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
