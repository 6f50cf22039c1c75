#!/usr/bin/env bash
# Build the fuzz harnesses with clang (libFuzzer + ASan + UBSan) and run each for SECONDS
# (default 60) from a seed corpus made of the test fixtures. A crash is saved under
# build-fuzz/crashes/ and the script fails: add the input to tests/malformed/ as a regression.
# fuzz_import runs libonnx's checker in a forked child, as sml-compose does (forked by a small fork
# server the harness starts, not by the harness itself): when libonnx crashes there, the child (not
# the harness) dies; the harness goes on (the tool exits 2) and saves the input as
# build-fuzz/crashes/import-crash-libonnx-<hash>, at most 200 a process (tests/fuzz/fuzz_import.cpp): libonnx crashes
# contained, not findings (other import-crash-* files there are from builds before the server).
# The script fails only when a harness itself stops. The harnesses' scratch folders (/dev/shm)
# are removed when each harness process ends, however it ends (tests/fuzz/scratch_dir.hpp).
#   run.sh [SECONDS] [--keep] [--jobs N] [--targets "T1 T2…"]
# --keep (a developer's long run, not CI): afterwards the inputs that reached new coverage are
# merged into the corpus kept in the repository (tests/fuzz/corpus/TARGET/, files up to 16 KiB) and
# the run's executions are appended to tests/fuzz/executions.tsv, whose totals say how far each
# harness has been fuzzed (issue 20 asks for 10^7 each). Commit both. A run in which a harness found
# something is recorded too (the script still fails): every other harness's row as usual, and the
# finding harness's executions up to the finding, its wall seconds until it and, in the ledger's
# sixth column (finding), the saved input's name (crash-…, timeout-…; "-" on a row without one).
# Rows from before 7 Dec 2026 have no sixth column: runs with a finding were not recorded then,
# but for 2e8b058's yaml row (one finding, recorded by hand).
# --keep needs a tree with no uncommitted changes, and a run whose tree changes while its harnesses
# build (an edit or commit meanwhile) is refused (exit 2): the ledger records the commit built.
# --jobs N runs N harnesses at a time (default 1).
# --targets runs only the named harnesses (default all six: onnx yaml units describe scalesim import),
# e.g. to bring the slower-growing totals up without re-running the others.
# Speed (issue 20: 10^7 executions each). Where an execution goes, from perf on this build
# (2026-12-05, 2 shared cores at load 15-18, so figures are per CPU-second, not per wall-second):
# - describe: was sml-suggest re-reading every catalogue and rebuilding or re-reading every candidate's
#   profile per task/v1 input (about 0.6 CPU-s each); the harness now loads the catalogues once and
#   keeps the profiles (suggest::Catalogues), warmed in LLVMFuzzerInitialize: about 0.08 CPU-s a
#   task input, 2.3 CPU-s once at start with the cache below warm (25 CPU-s cold). What is left per
#   input is the classifier's typo search (edit_distance against every vocabulary word of similar
#   length, 17% of the time) and std::regex (10%), so a 60 s run is no faster overall: 3942
#   executions before, 3914 after (61-62 exec/s, load 3-5; seed phase at load 16: 31 -> 55 per
#   CPU-s). Next lever: an edit distance that stops past the allowed 1-2 edits (same answers).
# - onnx: the shape rules and the parser on whole-network seeds (tests/models, up to 380 KB);
#   import: fork() of the ASan process twice an input (libonnx isolated as sml-compose does),
#   copy-on-write faults in the child, llvm-symbolizer started by each libonnx crash in a child;
#   yaml: ASan's allocator (malloc fill, quarantine page faults, allocation stacks) under yaml-cpp.
#   Unchanged so far, 45 s each at load 3 (exec per wall-s / per CPU-s): onnx 846/898, yaml 243/405,
#   import 66/113 (import and yaml wait: forks, scratch files).
#   Then (2026-12-05): the typo search bounded (edit_distance_within), malloc_context_size=5 and no
#   symbolizer in fuzz_import (tests/fuzz/options.sh): per CPU-s at load 13-15, yaml 374 -> 491,
#   describe 20 -> 33; fuzz_import's seed phase 63 -> 44 wall-s.
#   Then (2026-12-06): check_onnx runs shape inference and the checker in one child (one fork an
#   import, not two; strace of sml-compose --import resnet18.onnx: one fork). perf of fuzz_describe
#   while fuzzing (nice 19, load 15): parse_constraints 36% (std::regex), classify 22% (edit distance
#   14%), parse_deployment 12%, suggest 1%; 36% of all samples are libFuzzer's comparison hooks
#   (__sanitizer_cov_trace_*cmp8) inside std::regex's executor, instrumented because its templates
#   are compiled into our files. Next lever: regexes without trace-cmp (or hand-written scanners).
#   -timeout is wall-clock: under nice 19 at load 16 both describe and import stopped on "timeouts"
#   of inputs that take 0.05 CPU-s, and such a run's executions and corpus were dropped. runner.sh
#   now re-runs a timeout input alone under a CPU-time limit and goes on when it finishes there.
#   Then (2026-12-06, s28; perf, and CPU-s over fixed input lists, same inputs before and after):
#   units: half its time is C++ exceptions (the harness makes ~16 refusals an input: unwinding,
#   ASan's sigaltstack call per throw), the rest allocations: unit tables built per call and the
#   "known units" list built on success too; now static and built only for a message: 20,000 inputs
#   3.4-4.0 -> 3.0-3.1 CPU-s. scalesim: copies of every line, field and "file:line" per input (three
#   readers over each input); now views, the place built only for a message: 10,000 inputs 1.5-1.6
#   -> 1.0 CPU-s. Both: outputs and messages identical on those inputs (old vs new readers, cmp).
#   import: each forked child built libonnx's whole schema table (every opset of every op) and
#   threw it away; now built once in the parent (lib/compose/onnx_model.cpp), and the input file is
#   rewritten on tmpfs (tests/fuzz/scratch_dir.hpp: ext4 started writeback on every O_TRUNC
#   rewrite): its 311 seeds once in this build (-runs=0) 2.39-3.00 -> 0.88-1.14 CPU-s (self +
#   children), 523-612 -> 2642-2727 exec per CPU-s on a gcc -O2 build of the harness. yaml
#   (yaml-cpp's scanner, up to seven parses an input), describe (std::regex matching) and onnx (the
#   wire parser on whole-network seeds) showed no per-input set-up to remove.
#   Then (2026-12-06, s29): callgrind of the describe readers in-process (gcc -O2, 240 validation
#   statements): libstdc++ decides each regex \b by lookup_classname("w") + isctype, each fetching
#   the locale's ctype facet (dynamic_cast): 32% of all instructions. lib/describe/word_regex.hpp
#   caches the word class (same answers): 2.21G -> 1.49G instructions. In the fuzz build, the
#   regex engine's own functions get no coverage hooks (tests/fuzz/sancov_ignore.txt) and onnx,
#   import and yaml have a -max_len just above their largest seed (options.sh). fuzz_describe
#   over its 654 kept inputs (-runs=0, CPU-s less 1.5 CPU-s start-up; two runs each, builds
#   alternated; load 8): 7.3-7.8 -> 4.7-5.2 CPU-s, 84-90 -> 125-140 exec per CPU-s. Its coverage
#   count there falls 4804 -> 4460 edges (features 11222 -> 9068): the regex engine's edges, not ours.
#   Then (2026-12-06, s30; perf record over replays, -runs=0, of the kept corpora with fuzz3's build):
#   import: 96% of the CPU in the parent, not libonnx's children (only 162 of 677 inputs pass our
#   reader to the fork); of the samples with a whole stack, profile_model 36 points of 39 (the
#   function bombs kept: 136 of 673 inputs carry up to 33 local functions, expanded to up to 10^5
#   nodes), fork's page-table copy 14% of all samples (the parent's ASan heap, ~680 MB RSS). The
#   profiler asked of every expanded node, twice, whether it calls one of the model's functions
#   by comparing against each function in turn; now a set made once per model (lib/cost/profile.cpp).
#   Same 136 inputs, fuzz_import -runs=0, CPU-s self + children, builds alternated (load 2-10):
#   25.5, 24.7 -> 21.9, 22.5. sml-estimate output identical on 1,528 models (old vs new, cmp).
#   yaml: yaml-cpp's scanner (YAML::RegEx) 10%, ASan's allocation-stack depot 8%: not ours;
#   onnx (seed replay): the shape rules (ConstantOfShape folding up to 2^16 values) and the wire
#   parser, no per-input set-up found.
#   Then (2026-12-06, s32): the describe readers' regular expressions run on PCRE2 (not instrumented,
#   JIT after 32 searches of a pattern, a bounded search: lib/describe/word_regex.hpp) instead of
#   std::regex. fuzz_describe's LLVMFuzzerTestOneInput replayed over its 1,048 kept inputs in a gcc
#   -O2 build without sanitizers (three rounds after initialisation, old and new alternated twice,
#   load 12-15): 1,072-1,163 -> 2,226-2,418 exec per CPU-s.
#   Then (2026-12-06, s32; perf --call-graph dwarf over replays, -runs=0, of the kept corpora, build
#   of 3c7e19f): yaml: 68% of the CPU in the harness, of which yaml-cpp parsing 42 points: every
#   input that parses was parsed again by each reader that takes text, a file or a folder (seven
#   yaml-cpp parses and three libyaml ones an input: composition, catalogue model, advice,
#   accelerator, task taxonomy, out-of-scope groups). Now the harness parses once with each parser
#   and gives the tree to each reader (catalog::parse_model, catalog::parse_advice,
#   accel::parse_accelerator, compose::parse_composition(YamlFile): what load_* did after
#   load_yaml); lib/describe's two readers, which take a path, get the scratch file only when the
#   `sml:` kind of either tree is theirs (else both their readings stop at require_kind). Its 832
#   kept inputs (846 runs, -runs=0, two runs each, builds alternated, load 15): 4.39, 4.39 -> 2.13,
#   2.18 CPU-s; coverage 6174 -> 6079 edges (load_yaml, yaml_files and the folder loops of those readers, and
#   the kind refusals of lib/describe's readers: no input reaches them differently). bench/
#   fuzz_rates.sh 40 --targets yaml (twice, load 13.5-14): 491, 455 -> 1476, 1448 exec per CPU-s.
#   Tools built from 3c7e19f vs these readers: sml-compose and sml-accelsim --accel on the kept yaml
#   inputs, examples/compositions, catalog/archs, hw/accelerators and the malformed compositions and
#   accelerators, sml-compose --derive-catalog, sml-suggest on 20 task files: 2087 invocations,
#   stdout, stderr and exit status identical.
#   import (736 kept inputs, 35.4 CPU-s): profile_model's walk over expanded function bombs 34%,
#   of which FunctionIndex::find 8.6 points (a std::map of string_view pairs, asked twice a node:
#   the walk, then the profiler's is_container; memcmp under libFuzzer's hooks), fork's page-table
#   copy 14% (ASan's ~680 MB heap). onnx (925 kept inputs, 1.2 CPU-s): libFuzzer's own feature
#   bookkeeping (UpdateFeatureFrequency) 46%, the harness 31%: ConstantOfShape folding 9 (a vector
#   of up to 2^16 fills per node, page faults on each fresh ASan block), the wire parser and its
#   allocations 14. Next levers: one FunctionIndex lookup a node (NodeEvent says whether it was
#   expanded), an unordered index; a folded ConstantOfShape kept as (count, fill) until read.
#   Then (2026-12-06, s32, fuzz8): the walk looks up a node's local function once and tells the
#   visitors (NodeEvent::container); the profiler and the accelerator mapping no longer ask the
#   index again, which is an unordered map hashed on (domain, name). gcc -O2 replay of
#   fuzz_import's entry point (no sanitizers) over its 753 kept inputs, perf, builds alternated
#   (load 9-12): FunctionIndex::find 1.6 -> 0.5% and memcmp 7.9 -> 3.9% of all samples (hashing
#   and the hash table's own 1.6%); whole rounds 4.38, 3.95 -> 4.30, 3.95 CPU-s (self + children:
#   fork's page-table copy, 15-17%, is unchanged and the spread at this load hides the gain).
#   Without the fork: fuzz_onnx's entry point (parse, profile_model) replayed over the same 753
#   inputs, 3 rounds, builds alternated four times (load 6-8): 6.07, 6.22, 6.20, 5.31 -> 5.88,
#   5.33, 5.01, 5.35 CPU-s.
#   sml-estimate on 1,822 models and sml-accelsim on 456 of them (bench/compare_estimate.sh):
#   stdout, stderr and exit status identical to 0b9e6f2.
#   A folded ConstantOfShape is kept as (count, fill) (graph::FoldedValues, read as the optional
#   vector it replaces) and spelt out only when a reader asks for its elements. gcc -O2 replay of
#   fuzz_onnx's entry point over its 976 kept inputs, 30 rounds, builds alternated twice (load 8):
#   1.38, 1.57, 1.40, 1.53 -> 1.09, 0.73, 1.02, 0.99 CPU-s; perf: constant_of_shape_rule 8.4 ->
#   0.2% of all samples, page faults (clear_page, exc_page_fault) 4.7 -> under 0.1%. The same
#   1,822 + 456 runs of sml-estimate and sml-accelsim identical to 0b9e6f2.
#   Then (2026-12-07, s33, fuzz9): import: libonnx's children are forked from a fork server that
#   fuzz_import starts in LLVMFuzzerInitialize, while the process is small (start_libonnx_server,
#   lib/compose/libonnx_child.cpp), not from the ~700 MB ASan harness; each model still gets a
#   fresh child (the same crash containment; libFuzzer never saw a child's coverage either way), which
#   reads the model from a pipe instead of inheriting it. bench/compare_libonnx_server.sh: the same
#   verdict and inferred model both ways on 1,821 models (one message differs in a number libonnx
#   reads from uninitialised memory on a mutated ConvTranspose: it changes between direct runs too).
#   A libonnx crash in a server's child no longer leaves an import-crash-* file (the child is not
#   running an input libFuzzer knows of); it is still an InputError the harness goes on from.
#   fuzz_import fuzzing 60 wall-s from 40 small kept inputs (-seed=1, perf stat over every
#   descendant, nice 19, load 7-8): main's build-fuzz of 331af47 39,718 executions, 12.8 CPU-s
#   (3,101 exec/CPU-s) -> 92,937, 18.9 CPU-s (4,928 exec/CPU-s; 2.3x per wall-second: a fork of
#   the large process also waits). Replaying 150 kept inputs (every 5th; function bombs among them,
#   whose profile_model the server does not touch): 5.64, 5.75 -> 4.14, 4.26 CPU-s. In a campaign
#   (s33, nice 19, load 15) the seed phase of 824 inputs took all of 900 wall-s (827 executions):
#   the kept function bombs (26 and 49 wall-s each at that load) are what is slow there.
#   describe: classify()'s typo search told most vocabulary words apart by edit distance; a 64-bit
#   set of each word's letters bounds the distance from below and skips them (same corrections), and
#   rank() asks the stop-word test once a word, not once a task and word, and skips phrases whose
#   first word is not in the text. gcc -O2 replay of fuzz_describe's 1,165 kept inputs (3 rounds,
#   builds alternated twice, load 18): 0.50-0.53 -> 0.35-0.39 CPU-s a round (main f7ec38e vs this).
#   Then (2026-12-07, s36, fuzz21): import: perf over a gcc -O2 replay of its 999 kept inputs under
#   10 ms (every process, load 20): ~75% of the CPU in the fork server's children, most of it fork,
#   their copy-on-write faults and exit, and 12% of the children's samples ld.so binding symbols
#   lazily in each new child. The server now forks one worker that runs model after model (a
#   libonnx crash ends it; the next model gets a new one; replaced every 1,000 models), with the
#   same replies and wait statuses (bench/compare_libonnx_server.sh: 2,245 models, the one known
#   ConvTranspose difference); fuzz_import runs with LD_BIND_NOW=1 (options.sh). bash
#   bench/fuzz_replay_ab.sh /work/main/build build import 3 (all 1,025 kept inputs, function bombs
#   included; main 3d69fdee vs this, load 18-19): median 8.95 -> 4.79 CPU-s, 114 -> 213 exec/CPU-s.
#   The 999 light ones alone: 4.17-4.55 -> 1.67-1.82 CPU-s. In the clang ASan+UBSan fuzz build
#   (fuzz_import linked by hand from build-fuzz's objects: the 21 of libsml it uses, main's
#   libonnx_child.o or this one), bash bench/fuzz_rates.sh 60 --targets import --seeds S before after,
#   three times, S = every third of those 999 (333 inputs), load 16-19: executions 1188, 1803, 1463
#   -> 4150, 6474, 3814; median 107.5 -> 268.9 exec/CPU-s, 23.0 -> 63.2 exec per wall-s.
#   What is left is mostly the harness's
#   own process: ten kept inputs of 1.7-2.6 KB take two thirds of its CPU (0.06-0.63 CPU-s each;
#   function bombs: the slowest expands to 98,304 nodes, under the 10^5 floor of LoadLimits).
#   describe, onnx, yaml (gcc -O2 replay of the kept corpora, per input): no set-up left per input
#   (strace: no file system calls per input after initialisation); medians 0.32 ms, 0.018 ms,
#   0.45 ms.
#   Then (2026-12-07, s39, fuzz21; per-input thread CPU-s of each harness's entry point, gcc -O2,
#   best of 2-3 rounds, over the kept corpora): import 3.6 s for 1,123 inputs, of which its ten
#   slowest (function bombs of 1.7-2.6 KB expanding to ~10^5 nodes) 2.5 s; in profile_model 52% of
#   such an input was growing the layer vector (moves into fresh pages); now reserved for the
#   expanded count: whole kept corpus 3.08, 2.92 -> 2.67, 2.64 CPU-s (load 15-18).
#   In the clang ASan+UBSan build, fuzz_import -runs=0 over the same corpus (one run each, load
#   10-15): 45.8 -> 40.8 CPU-s (user + sys), cov 4366 -> 4429, ft 14662 -> 14801 (the new count's
#   own edges; none lost). describe, yaml,
#   onnx: no input of the kept corpora over 30 ms (medians under 0.5 ms), but describe is
#   quadratic on long inputs, which libFuzzer's growing lengths (-max_len 1 MiB) reach in long runs:
#   one 64 KiB word 1.94 CPU-s (the 'vs' list pattern, now 0.028), and still a run of digits: 4 KiB
#   1.7 CPU-s, 16 KiB 25 CPU-s (kNum's \d+ backtracked at every start inside the run; the fps pattern
#   of constraints_rates.cpp; the readers' PCRE2 match limit, 10^6 steps a search, did not bound
#   this). sml-describe -f on 4 KiB of digits: 1.56 CPU-s; fixed at s39's merge by (?<!\d) in kNum
#   (number_text.hpp): 2.46 -> 0.03 CPU-s, the readers' answers on every describe set but heldout-26
#   unchanged (compared JSON); seed corpus/describe/seed-digit-run-16k keeps the case.
#   Then (2026-12-08, s40, fuzz22): the expansion bound (lib/graph/onnx_reader.cpp check_expansion)
#   did not count the calls themselves, which the walk visits and the profile lists: the slow kept
#   bombs (98,304 leaves, 294,911 nodes with the calls) passed the 100,000 bound. Calls now count,
#   and so do the bytes of the layer names (scope paths grow with depth); 8 kept import inputs are
#   now refused before expansion (main's sml-estimate on the slowest: 2.6+0.6 CPU-s, 543 MB; now
#   0.00 CPU-s, 5 MB). bash bench/fuzz_replay_ab.sh /work/main/build build import 2 (all 1,123 kept
#   inputs, main 5518da80 vs this, load 17-19): median 3.91 -> 1.88 CPU-s, 287 -> 598 exec/CPU-s.
#   The clang fuzz build itself (150 lib files under ASan+UBSan, no ccache before this) did not get
#   past 12 objects in 25 wall-minutes at autogroup nice 5, load 17-19: a campaign needs a build
#   made when the machine is quiet, or ccache (CMAKE_CXX_COMPILER_LAUNCHER=ccache on build-fuzz).
# Measure: bash bench/fuzz_rates.sh [SECONDS] [BUILD_DIR …] (same seeds and options, builds alternated).
# Per input without the fuzz build: bash bench/fuzz_replay.sh BUILD_DIR TARGET ROUNDS (gcc -O2, no sanitizers);
# two builds alternated, medians: bash bench/fuzz_replay_ab.sh BUILD_A BUILD_B TARGET RUNS.
# The body is one { } block, read whole before it runs: bash reads a script as it goes, so an edit
# of this file during a long run (s33: its header) made the running script resume at a shifted
# offset and start its harnesses again.
{
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
seconds=60 keep=0 jobs=1 targets="onnx yaml units describe scalesim import"
while [ $# -gt 0 ]; do
  case $1 in
    --keep) keep=1 ;;
    --jobs) jobs=$2; shift ;;
    --targets) targets=$2; shift ;;
    *) seconds=$1 ;;
  esac
  shift
done
for t in $targets; do
  case $t in onnx|yaml|units|describe|scalesim|import) ;; *) echo "run.sh: no harness '$t' (onnx yaml units describe scalesim import)" >&2; exit 1 ;; esac
done
build=$here/build-fuzz
# The commit the harnesses are built from, taken before the build (a commit made while a long run
# goes on must not be credited with its executions in the ledger).
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
# What the build reads, as git sees it: HEAD, which files differ and how. The ledger credits
# $commit, so a --keep run needs a clean tree, and any run whose tree changes while the harnesses
# build (an edit or a commit in this worktree meanwhile: the build then mixes two trees) is refused.
# Untracked files count by name only (their contents are not hashed). Outside git: no check.
tree_state() {
  git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  { git -C "$here" rev-parse HEAD; git -C "$here" status --porcelain; git -C "$here" diff HEAD; } | sha256sum
}
tree_before=$(tree_state)
if [ "$keep" = 1 ] && [ -n "$(git -C "$here" status --porcelain 2>/dev/null)" ]; then
  echo "run.sh: --keep on a tree with uncommitted changes: the ledger would credit $commit with executions of other code; commit or stash them first" >&2
  exit 2
fi
# shellcheck source=options.sh
. "$here/tests/fuzz/options.sh"  # sanitizer options and -max_len per harness, shared with bench/fuzz_rates.sh
# fuzz_describe builds the per-layer profiles of the catalogue's architectures once per process
# (25 CPU-s under ASan); a cache of its own, kept between runs, makes that about 2 — the shared
# ~/.cache/sml loses this binary's entries whenever another build of the tools runs sml-suggest.
export SML_CACHE_DIR=$build/cache
CC=clang-14 CXX=clang++-14 cmake -S "$here" -B "$build" -DSML_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 --target fuzz_onnx fuzz_yaml fuzz_units fuzz_describe fuzz_scalesim fuzz_import >/dev/null
if [ "$(tree_state)" != "$tree_before" ]; then
  echo "run.sh: the tree changed during the build (HEAD or uncommitted files): the harnesses match no one commit; run again on a tree left alone" >&2
  exit 2
fi
corpus=$build/corpus
rm -rf "$corpus"
mkdir -p "$corpus/onnx" "$corpus/yaml" "$corpus/units" "$corpus/describe" "$corpus/scalesim" "$corpus/import" "$build/crashes"
# Whole-network exports past fuzz_onnx's -max_len would be cut short (libFuzzer truncates seeds).
find "$here/tests/models" -name '*.onnx' -size -"$(( $(fuzz_max_len onnx) / 1024 + 1 ))"k -exec cp {} "$corpus/onnx/" \;
mapfile -t testdata < <(find /usr/share/libonnx-testdata/data/node -name model.onnx 2>/dev/null | sort)
for f in "${testdata[@]:0:200}"; do cp "$f" "$corpus/onnx/$(basename "$(dirname "$f")").onnx"; done
cp "$here"/tests/data/hw/devices/*.yaml "$here"/tests/data/catalog/*.yaml "$here"/hw/devices/nvidia-a100-sxm4-40gb.yaml "$corpus/yaml/"
for f in "$here"/catalog/archs/kws_cnn.yaml "$here"/catalog/archs/mobilenet_v3_small.yaml "$here"/examples/compositions/*.yaml; do
  cp "$f" "$corpus/yaml/composition-$(basename "$f")"
done
for u in 50kg 1.2M 30fps 10ms 2.5h 4GiB 120kWh 1x3x224x224 7B; do printf '%s' "$u" >"$corpus/units/$u"; done
/usr/bin/python3 - "$here/tests/validation/describe/problems.yaml" "$corpus/describe" <<'PY' || true
import sys, yaml
for p in yaml.safe_load(open(sys.argv[1]))["problems"][:60]:
    open(sys.argv[2] + "/" + p["id"], "w").write(p["text"])
PY
printf 'sml: task/v1\ntask: {id: image-classification}\nmodalities: [image]\nsegments: [backbone]\nconstraints: {latency_s: 0.02, data_samples: 1000}\n' >"$corpus/describe/task"
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3, 96, 4,\nConvDP2, 56, 56, 3, 3, 1, 32, 1, 2,\n' >"$corpus/scalesim/alexnet.csv"
printf 'Layer Name, M, N, K,\nTest 1, 256, 128, 256,\n' >"$corpus/scalesim/gemm.csv"
printf '[general]\nrun_name = x\n[architecture_presets]\nArrayHeight: 32\nArrayWidth = 16\nDataflow: ws\n' >"$corpus/scalesim/x.cfg"
# --import: small real exports, the malformed models (external data with symlinks and FIFOs,
# function bombs, libonnx crashers) and the corpus kept from earlier runs (tests/fuzz/corpus/).
cp "$here"/tests/models/resnet18.onnx "$here"/tests/models/squeezenet1_0.onnx "$corpus/import/"
find "$here/tests/malformed/onnx" -name '*.onnx' | while read -r f; do cp "$f" "$corpus/import/$(echo "${f#"$here"/tests/malformed/onnx/}" | tr / _)"; done
# (|| true: an empty kept folder must not stop the script under set -e, silently, with status 1.)
for kept in "$here"/tests/fuzz/corpus/*/; do [ -d "$kept" ] && cp "$kept"* "$corpus/$(basename "$kept")/" 2>/dev/null || true; done
BUILD=$build FUZZ_BIN_DIR=$build/tests/fuzz
# shellcheck source=runner.sh
. "$here/tests/fuzz/runner.sh"  # fuzz_one: a run that survives wall-clock timeouts under load (re-checked alone)
status=0
running=0
for target in $targets; do
  fuzz_one "$target" "$seconds" "$corpus/$target" >"$build/fuzz_$target.result" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
for target in $targets; do cat "$build/fuzz_$target.result"; done
if [ "$keep" = 1 ]; then
  ledger=$here/tests/fuzz/executions.tsv
  [ -f "$ledger" ] || printf 'date\tcommit\tharness\tseconds\texecutions\tfinding\n' >"$ledger"
  for target in $targets; do
    finding=- ran=$seconds
    if [ -f "$build/fuzz_$target.finding" ]; then
      finding=$(cat "$build/fuzz_$target.finding") ran=$(cat "$build/fuzz_$target.seconds")
    fi
    kept=$here/tests/fuzz/corpus/$target
    mkdir -p "$kept"
    ASAN_OPTIONS=$(fuzz_asan_options "$target") LD_BIND_NOW=$(fuzz_bind_now "$target") "$build/tests/fuzz/fuzz_$target" -merge=1 -max_len=16384 -rss_limit_mb=2048 -timeout="$(fuzz_timeout)" \
      -artifact_prefix="$build/crashes/$target-merge-" "$kept" "$corpus/$target" >/dev/null 2>&1 || true
    find "$kept" -type f -size +16k -delete  # the repository keeps small inputs only
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$commit" "$target" "$ran" "$(cat "$build/fuzz_$target.execs" 2>/dev/null || echo 0)" "$finding" >>"$ledger"
  done
fi
# How far each harness has been fuzzed, this run's executions included where --keep recorded them.
if [ -f "$here/tests/fuzz/executions.tsv" ]; then
  awk -F'\t' 'NR > 1 { n[$3] += $5 } END { for (t in n) printf "fuzz_%s: %d executions recorded in tests/fuzz/executions.tsv\n", t, n[t] }' \
    "$here/tests/fuzz/executions.tsv" | sort
fi
exit $status
}
