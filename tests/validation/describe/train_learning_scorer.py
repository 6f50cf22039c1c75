#!/usr/bin/python3
"""Train and measure sml-describe's learned "is this a learning problem" scorer (issue 16).

    /usr/bin/python3 tests/validation/describe/train_learning_scorer.py [path/to/sml-describe]
        [--write FILE] [--cache FILE] [--rules-binary OLD/sml-describe] [--statements FILE]
        [--features all|no-pairs|no-kinds] [--alpha A] [--min-df N] [--clip W] [--clip-ml W] [--without SET,SET] [--no-clear] [--no-veto]
        [--quiet]

The labelled statements of the sets named in TRAIN and CHECK below (task: none = not ML in
tests/validation/describe/NAME.yaml; accept: decline = not ML in tests/validation/suggest/; the
lines of public-requests.txt, one set "public-GROUP" per topic, each line with its source) are
read once by `sml-describe --learning-features`, which gives the scorer's features (the
spelling-corrected words, word pairs and WordNet kinds: lib/describe/learning_scorer.cpp), the hand
rules' own verdict (`rules_reason`) and whether the reading shows clear learning evidence
(`clear_learning`, which the scorer never overrides). A weights file in the catalogue does not
change those three fields. Sets are named one by one: a set file added later is used by nothing
until it is named here.

1. Leave-one-set-out over TRAIN: each set scored by a naive Bayes scorer trained on the others. One
   threshold T is chosen on these pooled out-of-set scores: the lowest T at which the combined
   decision (rules decline, OR log-odds >= T and no clear learning evidence) rejects no ML statement.
   The figures at T are out of sample for the scorer but not for T, which saw every set. Two more
   thresholds come from the same scores (round 22): C, at or past which even a statement with clear
   learning evidence is declined (T plus the highest score of such an ML statement; --no-clear: none),
   and M, at or below which the scorer outvotes the hand rules that count words of IT against words
   of learning (a hair below the lowest score of a not-ML statement only those rules declined, read
   from `rules_reason_if_learning`; --no-veto: none).
2. Nested leave-one-set-out: for each set k, T is chosen by step 1 run on the other sets alone, the
   scorer trained on the other sets alone, and set k scored at that T. Nothing of set k is seen, so
   this is the out-of-sample estimate of the whole procedure: non-ML rejected and ML statements
   wrongly rejected. Choose features, smoothing and training sets by it (--features, --alpha,
   --min-df, --without), never by one set in view. The rules' part is as tuned (see --rules-binary).
   --without also scores the sets it leaves out with the scorer of the others: how the procedure
   does on new training data before it is added.
3. The weights --write gives are trained on every TRAIN set, with T from step 1, and scored on CHECK,
   which no training and no threshold saw (heldout-10 is the describe reader's clean check: report
   its aggregate only). sml-describe reads them from catalog/learning-scorer.tsv (README, issue 16).

--rules-binary takes the rules' verdict (task: null) from another build instead, e.g. one from before
the rules were tuned on the newest sets: the rules of the binary measured are tuned on most of these
sets, so only an older build shows what the scorer adds on a set the rules never saw. Features and
clear_learning still come from the binary measured.

--statements FILE also scores lines "N|text" (not ML) or "M|text" (ML) with the rules and with the
scorer --write would write (round20-fresh.txt: 36 statements written for this check, in no set).

Deterministic: a fixed order of statements and features, no random numbers.
"""
import concurrent.futures
import datetime
import json
import math
import os
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scorer_cli import Args  # noqa: E402  (the command line both scorer scripts share)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
L2, EPOCHS, RATE, MIN_DF = 1e-3, 30, 0.2, 2
# The model: "nb" (multinomial naive Bayes over binary features, additive smoothing ALPHA, the two
# classes given equal priors) or "lr" (the L2 logistic regression). Both give a log-odds that is a
# bias plus a weight per feature present, the form catalog/learning-scorer.tsv holds. Round 20
# measured both leave-one-set-out and chose nb: at the threshold that declines no ML statement it
# declined 136 of 240 not-ML statements alone where lr declined 73 (README); nb with features seen
# in two statements or more, 115.
MODEL, ALPHA, NB_MIN_DF = "nb", 0.1, 1
# Which of sml-describe's features the model uses: "all", "no-pairs" (words and WordNet kinds), "no-kinds".
FEATURES = "all"
# Whether a score far past every ML statement's declines a statement with clear learning evidence
# (threshold_of); --no-clear turns it off (as before round 22). Whether a score below every not-ML
# statement's that the word-count rules declined outvotes those rules; --no-veto turns it off.
CLEAR = True
VETO = True
# The largest weight one feature may carry toward not ML (--clip W) and toward ML (--clip-ml W);
# inf: none, as before round 23. Naive Bayes gives a word seen in a few statements of one class
# a weight of several log-odds, which that word then carries alone in a fresh statement. Round 23
# (describe27) compared clips by nested leave-one-set-out over the 61 training sets (alpha 0.1, all
# features; non-ML declined / ML rejected, pooled): none 467/512, 2/1131; both ways at 5: 467, 2;
# 3: 464, 2; 2.5: 469, 0; 2: 474, 0; 1.5: 475, 0; 1: 468, 0; toward not ML only at 2: 468, 0; at
# 1.5: 471, 0; 2.5: 468, 0. Without the round's eleven new public topics: none 419/455, 0/1123; 2
# both ways 424/455, 2/1123; 2 toward not ML only 422/455, 2/1123. The ML figure moves by one or two
# statements either way (the highest-scoring ML statement of the pool is rejected whenever its own set
# is held out), so the gain is within that noise. A clip both ways also shrinks the ML side of the
# scale against ml_log_odds: at 2 the round-22 unit test's hard-hat detector question (written for
# that test, in no set) scored -10.99 against an outvote threshold of -15.07 and was declined; with no
# clip the threshold for clear learning evidence rose to 34.26 and the same file's training-run
# checkpoint request was let through. Adopted: 2 toward not ML only (468/512, 0/1131), the one
# setting that is no worse than none by nested leave-one-set-out and keeps every unit test's verdict
# (those statements were written for the tests, in no set, and were used in this choice).
CLIP = 2.0
CLIP_ML = math.inf


# The sets, named one by one: a set file added later is used by no step until it is named here (a
# new clean check must not be trained on silently). TRAIN may be trained on; CHECK never is (heldout-10
# is the describe reader's clean check: report its aggregate only; heldout-17 and suggest's heldout10
# are kept out as before). heldout-19 was round 20's clean check; its misses were read in round 21
# and it is a training set from then on. heldout-20, round 21's clean check, is in neither list: no step reads it
# until it has been scored once on the round's final reader.
# heldout-20 (round 21's clean check, scored untuned on that round's final reader) is read and
# trained on from round 22. The public-* sets are the topics of public-requests.txt (requests retold
# from public issue trackers with their addresses, round 22), one set per topic.
# heldout-21 (round 22's clean check, scored untuned on that round's final reader: non-ML declined
# 10/17, ML rejected 0/65) is read and trained on from round 23, with nine more public topics
# (round 23: the kinds of request its misses were, and learning problems asked as help requests).
# heldout-22 (round 23's clean check, scored on that round's final reader: top-1 0.831, non-ML declined
# 15/17, ML rejected 1/65) is trained on from round 24, here and by train_task_scorer.py. heldout-23,
# round 24's clean check, is in neither list: no step reads it.
# heldout-23, heldout-24 and heldout-25 (earlier rounds' clean checks, each read and tuned on by the
# rules since) are trained on from round 40, here and by train_task_scorer.py
# (describe43). heldout-26, round 39's clean check, is in neither list: no step reads it.
PUBLIC = ["public-tensorboard", "public-licence", "public-model-upload", "public-gpu-memory", "public-model-export",
          "public-tooling", "public-annotation-tools", "public-web-ops", "public-database", "public-dashboard",
          "public-scripting", "public-notebooks", "public-containers", "public-reporting", "public-weights-links",
          "public-datasets", "public-kaggle", "public-ml-feature", "public-anomaly", "public-forecasting",
          "public-home-automation", "public-file-organising", "public-spreadsheets", "public-finance-formulas",
          "public-inventory", "public-api-costs", "public-backups", "public-alert-emails", "public-text-extraction",
          "public-statistics", "public-help-requests"]
TRAIN = ["dev", "heldout", "heldout-11", "heldout-12", "heldout-13", "heldout-14", "heldout-15", "heldout-16",
         "heldout-18", "heldout-19", "heldout-2", "heldout-20", "heldout-21", "heldout-22", "heldout-23", "heldout-24",
         "heldout-25", "heldout-3", "heldout-4", "heldout-5", "heldout-6",
         "heldout-7", "heldout-8", "heldout-9", "heldout-none", "problems", "suggest-heldout2", "suggest-heldout3",
         "suggest-heldout4", "suggest-heldout5", "suggest-heldout6", "suggest-heldout7", "suggest-heldout8",
         "suggest-heldout9"] + PUBLIC
CHECK = ["heldout-10", "heldout-17", "suggest-heldout10"]


def load_sets(names):
    sets = {}
    public = {}
    for line in open(os.path.join(HERE, "public-requests.txt")):
        if line[:2] in ("N|", "M|"):
            label, group, text, _source = line.rstrip("\n").split("|", 3)
            public.setdefault("public-" + group, []).append((text, label == "N"))
    for name in names:
        if name.startswith("public-"):
            sets[name] = public[name]
        elif name.startswith("suggest-"):
            ps = yaml.safe_load(open(os.path.join(HERE, "..", "suggest", name[len("suggest-"):] + ".yaml")))["cases"]
            sets[name] = [(p["text"], p.get("accept") == "decline") for p in ps]
        else:
            ps = yaml.safe_load(open(os.path.join(HERE, name + ".yaml")))["problems"]
            sets[name] = [(p["text"], p["task"] == "none") for p in ps]
    return sets


def read_all(binary, sets, cache):
    known = json.load(open(cache)) if cache and os.path.exists(cache) else {}
    todo = sorted({text for name in sets for text, _ in sets[name] if "rules_if" not in known.get(text, {})})

    def read(text):
        out = subprocess.run([binary, "--learning-features", "--format", "json", "-f", "-"], input=text,
                             capture_output=True, text=True, check=True).stdout
        ls = json.loads(out)["learning_scorer"]
        return text, {"features": ls["features"], "rules": bool(ls["rules_reason"]), "clear": ls["clear_learning"],
                      "rules_if": bool(ls["rules_reason_if_learning"])}
    # Two at a time (each run is a process of its own; the answers do not depend on the order).
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        known.update(dict(pool.map(read, todo)))
    if cache:
        json.dump(known, open(cache, "w"))
    return known


def train(docs):
    return train_nb(docs) if MODEL == "nb" else train_lr(docs)


def train_nb(docs):
    """Multinomial naive Bayes over binary features seen in at least NB_MIN_DF statements; bias, weights."""
    df = {}
    for fs, _ in docs:
        for f in fs:
            df[f] = df.get(f, 0) + 1
    keep = sorted(f for f, n in df.items() if n >= NB_MIN_DF)
    count = {0: {}, 1: {}}
    total = {0: 0, 1: 0}
    kept = set(keep)
    for fs, y in docs:
        for f in fs:
            if f in kept:
                count[y][f] = count[y].get(f, 0) + 1
                total[y] += 1
    v = len(keep)
    w = {f: math.log((count[1].get(f, 0) + ALPHA) / (total[1] + ALPHA * v)) - math.log((count[0].get(f, 0) + ALPHA) / (total[0] + ALPHA * v))
         for f in keep}
    return 0.0, w


def train_lr(docs):
    """L2 logistic regression by SGD over (features, y) in the given order; returns bias, weights."""
    df = {}
    for fs, _ in docs:
        for f in fs:
            df[f] = df.get(f, 0) + 1
    keep = {f for f, n in df.items() if n >= MIN_DF}
    docs = [([f for f in fs if f in keep], y) for fs, y in docs]
    # The classes weighed equally: far fewer statements are not ML.
    pos = sum(y for _, y in docs)
    cw = {1: len(docs) / (2.0 * max(1, pos)), 0: len(docs) / (2.0 * max(1, len(docs) - pos))}
    w, b = {f: 0.0 for f in sorted(keep)}, 0.0
    for epoch in range(EPOCHS):
        rate = RATE / (1 + epoch)
        for fs, y in docs:
            z = b + sum(w[f] for f in fs)
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            g = cw[y] * (p - y)
            b -= rate * g
            for f in fs:
                w[f] -= rate * (g + L2 * w[f])
    return b, w


def score(model, fs):
    """The log-odds that FS are those of a statement that is not a learning problem."""
    b, w = model
    return b + sum(w.get(f, 0.0) for f in fs)


def docs_of(sets, names, known):
    return [(keep(known[t]["features"]), int(y)) for n in names for t, y in sets[n]]


def keep(fs):
    """The features the model uses of those sml-describe gives: all; "no-pairs", the words and WordNet
    kinds (a feature with '_' that is no kind is read as a pair); "no-kinds", words and pairs."""
    if FEATURES == "no-pairs":
        return [f for f in fs if f.startswith("k:") or "_" not in f]
    if FEATURES == "no-kinds":
        return [f for f in fs if not f.startswith("k:")]
    return fs


class CountedNB:
    """Naive Bayes counts over every set once, so that a model trained without some sets is the
    whole count less theirs: leave-one-set-out, and leave-one-set-out inside it, at the cost of a
    subtraction (the same weights train_nb gives on the sets left in)."""

    def __init__(self, sets, names, known):
        self.per = {}
        self.whole = ({}, {}, {}, [0, 0])  # df, count given not ML, count given ML, totals
        for n in names:
            c = ({}, {}, {}, [0, 0])
            for fs, y in docs_of(sets, [n], known):
                for f in fs:
                    c[0][f] = c[0].get(f, 0) + 1
                    c[2 - y][f] = c[2 - y].get(f, 0) + 1
                    c[3][y] += 1
            self.per[n] = c
            for i in range(3):
                for f, v in c[i].items():
                    self.whole[i][f] = self.whole[i].get(f, 0) + v
            self.whole[3][0] += c[3][0]; self.whole[3][1] += c[3][1]
        self.vocab = sum(1 for v in self.whole[0].values() if v >= NB_MIN_DF)

    def model(self, without):
        """(bias, weight function) trained on every set but WITHOUT."""
        out = [self.per[n] for n in without]
        left = lambda i, f: self.whole[i].get(f, 0) - sum(c[i].get(f, 0) for c in out)
        gone = {f for c in out for f in c[0]}
        v = self.vocab - sum(1 for f in gone if self.whole[0][f] >= NB_MIN_DF and left(0, f) < NB_MIN_DF)
        t1 = self.whole[3][1] - sum(c[3][1] for c in out)
        t0 = self.whole[3][0] - sum(c[3][0] for c in out)
        d1, d0 = math.log(t1 + ALPHA * v), math.log(t0 + ALPHA * v)
        cache = {}

        def w(f):
            if f not in cache:
                v = (math.log(left(1, f) + ALPHA) - d1 - math.log(left(2, f) + ALPHA) + d0) if left(0, f) >= NB_MIN_DF else 0.0
                cache[f] = max(-CLIP_ML, min(CLIP, v))
            return cache[f]
        return w

    def score(self, without, sets, names, known):
        w = self.model(without)
        return {t: sum(w(f) for f in keep(known[t]["features"])) for n in names for t, _ in sets[n]}


def threshold_of(scores, sets, names, known):
    """The lowest log-odds at which the scorer declines no ML statement of NAMES that the rules let
    through without clear learning evidence (a hair above the highest such score), and the log-odds
    at or above which it declines even a statement with clear learning evidence: the highest score of
    an ML statement with such evidence plus that first threshold (infinite with --no-clear). Round 22
    compared margins over that highest score by nested leave-one-set-out (README): a hair (0.05), the
    first threshold T, and 1.5 or 2 times the larger of the two thresholds. A hair rejected one more
    ML statement nested (heldout-19's battery forecast, clear evidence, the highest such score); T
    rejected none more and declined the most not-ML statements of the safe ones. The margin was so
    chosen with the nested figures in view: it is not itself out of sample."""
    ml = [scores[t] for n in names for t, y in sets[n] if not y and not known[t]["rules"] and not known[t]["clear"]]
    T = round(max(ml) + 0.05, 2)
    clear = [scores[t] for n in names for t, y in sets[n] if not y and not known[t]["rules"] and known[t]["clear"]]
    # The log-odds at or below which the scorer outvotes the word-count rules (not_learning.hpp): a
    # hair below the lowest score of a not-ML statement that only those rules declined.
    counted = [scores[t] for n in names for t, y in sets[n] if y and known[t]["rules"] and not known[t]["rules_if"]]
    M = round(min(counted) - 0.05, 2) if VETO and counted else -math.inf
    return T, (round(T + max(clear), 2) if CLEAR and clear else math.inf), M


def loso_scores(nb, sets, names, known, also_out=()):
    """Each set of NAMES scored by the model trained on the others (and not on ALSO_OUT)."""
    scores = {}
    for n in names:
        scores.update(nb.score([n] + list(also_out), sets, [n], known))
    return scores


def tally(sets, names, known, p_of, T):
    """Per set: (non-ML, rules rejected, combined rejected, ML, rules wrong, combined wrong). T is one
    threshold, or a threshold per set."""
    rows = {}
    for n in names:
        r = [0] * 6
        Tn, Cn, Mn = T[n] if isinstance(T, dict) else T
        for t, y in sets[n]:
            k = known[t]
            rules = k["rules_if"] if p_of[t] <= Mn else k["rules"]
            combined = rules or (p_of[t] >= Tn and not k["clear"]) or (k["clear"] and p_of[t] >= Cn)
            if y:
                r[0] += 1; r[1] += k["rules"]; r[2] += combined
            else:
                r[3] += 1; r[4] += k["rules"]; r[5] += combined
        rows[n] = r
    return rows


def show(rows, title, quiet=False):
    if not quiet:
        print(title)
        print("  %-22s %16s %16s %14s %14s" % ("set", "non-ML rules", "non-ML combined", "ML rej rules", "ML rej comb"))
    pool = [0] * 6
    for n, r in rows.items():
        pool = [a + b for a, b in zip(pool, r)]
        if not quiet:
            print("  %-22s %10d/%-5d %10d/%-5d %8d/%-5d %8d/%-5d" % (n, r[1], r[0], r[2], r[0], r[4], r[3], r[5], r[3]))
    if quiet:
        print("%s: non-ML rules %d/%d, combined %d/%d; ML rejected rules %d/%d, combined %d/%d" % (
            title, pool[1], pool[0], pool[2], pool[0], pool[4], pool[3], pool[5], pool[3]))
    else:
        print("  %-22s %10d/%-5d %10d/%-5d %8d/%-5d %8d/%-5d" % ("POOLED", pool[1], pool[0], pool[2], pool[0], pool[4], pool[3], pool[5], pool[3]))
    return pool


def main():
    global FEATURES, ALPHA, NB_MIN_DF, CLEAR, VETO, CLIP, CLIP_ML
    cli = Args(__doc__)
    if cli.help:
        return
    write, cache, rules_binary, statements = cli.option("--write"), cli.option("--cache"), cli.option("--rules-binary"), cli.option("--statements")
    FEATURES = cli.option("--features", FEATURES)
    ALPHA = float(cli.option("--alpha", ALPHA))
    NB_MIN_DF = int(cli.option("--min-df", NB_MIN_DF))
    CLIP = float(cli.option("--clip", CLIP))
    CLIP_ML = float(cli.option("--clip-ml", CLIP_ML))
    without = [n for n in cli.option("--without", "").split(",") if n]
    quiet = cli.flag("--quiet")
    CLEAR = not cli.flag("--no-clear")
    VETO = not cli.flag("--no-veto")
    binary = cli.binary()
    train_names = [n for n in TRAIN if n not in without]
    sets = load_sets(TRAIN + CHECK)
    if statements:
        sets["statements"] = [(l.split("|", 1)[1].strip(), l[0] == "N") for l in open(statements) if l[:2] in ("N|", "M|")]
    known = read_all(binary, sets, cache)
    if rules_binary:
        for text in sorted(known):
            out = subprocess.run([rules_binary, "--format", "json", "-f", "-"], input=text, capture_output=True, text=True, check=True).stdout
            known[text] = dict(known[text], rules=json.loads(out).get("task") is None)
        print("rules' verdicts from", rules_binary)
    print("model %s, smoothing %g, features %s seen in >= %d statements, weights clipped at %g; training sets: %d (%s)" % (
        MODEL, ALPHA, FEATURES, NB_MIN_DF, CLIP, len(train_names), ", ".join(train_names)))
    if MODEL != "nb":
        raise SystemExit("the cross-validation below is written for MODEL = 'nb'")
    nb = CountedNB(sets, train_names, known)

    # 1. Leave one set out over the training sets (CHECK sets take no part): each set scored by a
    # scorer trained on the others. The threshold chosen on these pooled scores has seen every
    # set's ML scores, so the figure at that threshold is in-sample for the threshold.
    loso = loso_scores(nb, sets, train_names, known)
    T = threshold_of(loso, sets, train_names, known)
    print("clear-evidence threshold: log-odds %.2f; the word-count rules outvoted at or below %.2f" % (T[1], T[2]))
    ml = max(loso[t] for n in train_names for t, y in sets[n] if not y and not known[t]["rules"] and not known[t]["clear"])
    print("threshold from leave-one-set-out: log-odds %.2f (highest out-of-set log-odds of an ML statement the rules pass: %.3f)" % (T[0], ml))
    show(tally(sets, train_names, known, loso, T), "Leave-one-set-out at that threshold (scores out of sample, threshold not; the rules %s):" % (
        "of " + rules_binary if rules_binary else "as they are, tuned on many of these sets"), quiet)

    # 2. Nested: for each set k, the threshold is chosen by leave-one-set-out over the other sets
    # alone, the scorer trained on the other sets alone, and set k scored at that threshold. Nothing
    # of set k is seen: this is the out-of-sample estimate of the whole procedure (model and
    # threshold), the figure to choose features, smoothing and training data by.
    Tk, nested = {}, {}
    for k in train_names:
        others = [n for n in train_names if n != k]
        inner = loso_scores(nb, sets, others, known, also_out=[k])
        Tk[k] = threshold_of(inner, sets, others, known)
        nested.update(nb.score([k], sets, [k], known))
    pool = show(tally(sets, train_names, known, nested, Tk),
                "Nested leave-one-set-out (threshold and scorer from the other sets only; out of sample for the scorer):", quiet)
    declines = lambda n, t: nested[t] >= Tk[n][1] or (nested[t] >= Tk[n][0] and not known[t]["clear"])
    scorer_alone = sum(1 for n in train_names for t, y in sets[n] if y and not known[t]["rules"] and declines(n, t))
    print("  nested: the scorer declined %d not-ML statements the rules let through; thresholds per fold %.2f to %.2f" % (
        scorer_alone, min(v[0] for v in Tk.values()), max(v[0] for v in Tk.values())))
    alone_nm = sum(1 for n in train_names for t, y in sets[n] if y and declines(n, t))
    alone_ml = sum(1 for n in train_names for t, y in sets[n] if not y and declines(n, t))
    print("  nested, the scorer alone (rules ignored, the clear-learning veto kept): non-ML %d/%d, ML %d/%d" % (
        alone_nm, pool[0], alone_ml, pool[3]))
    wrong = [(n, t) for n in train_names for t, y in sets[n] if not y and not known[t]["rules"] and declines(n, t)]
    for n, t in wrong:
        print("  nested: ML statement of %s declined by the scorer: %s" % (n, t[:100]))

    # 3. The shipped scorer: trained on every training set, the threshold of step 1, scored on CHECK.
    shipped = nb.score([], sets, train_names + CHECK + (["statements"] if statements else []), known)
    show(tally(sets, CHECK, known, shipped, T), "The scorer --write writes (trained on %d sets) on the check sets it never saw:" % len(train_names), quiet)
    show(tally(sets, train_names, known, shipped, T), "That scorer on its own training sets (in-sample, not a check):", quiet)
    if statements:
        show(tally(sets, ["statements"], known, shipped, T), "That scorer on " + statements + ":", quiet)
    if without:
        # The sets left out by --without, scored by the scorer and threshold of the sets left in: how
        # the procedure without them does on them (e.g. new training data, before it is added).
        w = nb.model([])
        left = {t: sum(w(f) for f in keep(known[t]["features"])) for n in without for t, _ in sets[n]}
        show(tally(sets, without, known, left, T), "That scorer on the sets --without left out (never trained on):", quiet)
    if write:
        w = nb.model([])
        weights = {f: w(f) for f in nb.whole[0] if w(f) != 0.0 or nb.whole[0][f] >= NB_MIN_DF}
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        if subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "lib", "tests/validation"]).returncode:
            commit += " (with uncommitted changes to lib/ or tests/validation/)"
        with open(write, "w") as f:
            f.write("# sml-describe's learned scorer of 'not a learning problem' (lib/describe/learning_scorer.hpp).\n")
            f.write("# Written by tests/validation/describe/train_learning_scorer.py on %s at commit %s:\n" % (datetime.date.today().isoformat(), commit))
            f.write("# Multinomial naive Bayes (smoothing %g, equal class priors) over binary features (%s) seen in at least\n" % (ALPHA, FEATURES))
            f.write("# %d training statement(s): each weight is log P(feature | not ML) / P(feature | ML)%s; p = logistic(bias + sum).\n" % (
                NB_MIN_DF, "" if CLIP == CLIP_ML == math.inf else ", clipped to [-%g, %g]" % (CLIP_ML, CLIP)))
            f.write("# Trained on: %s.\n" % ", ".join(train_names))
            f.write("# Never trained on (check sets): %s.\n" % ", ".join(CHECK))
            f.write("# Threshold chosen on leave-one-set-out scores only (the lowest that declines no ML statement).\n")
            f.write("# Threshold: log-odds %.2f; with clear learning evidence %.2f. Nested leave-one-set-out (thresholds and scorer\n# from the other sets):" % T[:2])
            f.write(" non-ML rejected with the rules %d/%d, ML rejected %d/%d.\n" % (pool[2], pool[0], pool[5], pool[3]))
            f.write("sml\tlearning-scorer/v1\nbias\t%.4f\nthreshold\t%.15g\n" % (0.0, 1 / (1 + math.exp(-T[0]))))
            if T[1] < math.inf:
                f.write("clear_log_odds\t%.2f\n" % T[1])
            if T[2] > -math.inf:
                f.write("ml_log_odds\t%.2f\n" % T[2])
            for k in sorted(weights, key=lambda s: s.encode()):
                if abs(weights[k]) >= 0.005 and "\t" not in k and "\n" not in k and not k.startswith("#"):
                    f.write("%s\t%.4f\n" % (k, weights[k]))
        print("wrote", write)


if __name__ == "__main__":
    main()
