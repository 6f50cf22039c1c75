#!/usr/bin/env bash
# Tests tests/fuzz/runner.sh (issue 20) with a stand-in for a libFuzzer harness, so it needs no
# clang build: a run that stops on a wall-clock timeout whose input finishes alone under the CPU
# limit keeps its executions and goes on; an input that spins past the CPU limit is a finding; a
# crash is a finding; a clean run counts its executions. Then run.sh itself: its refusals of a
# dirty --keep tree and of a tree changed during the build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
BUILD=$work FUZZ_BIN_DIR=$work
mkdir -p "$work/crashes" "$work/corpus"
fuzz_asan_options() { echo "$ASAN_OPTIONS"; }
fuzz_max_len() { echo 4096; }
fuzz_bind_now() { echo ""; }
export ASAN_OPTIONS=malloc_context_size=5 SML_FUZZ_RECHECK_CPU=1
# shellcheck source=runner.sh
. "$here/runner.sh"

# The stand-in harness. Fuzzing (a folder argument): attempts listed in $work/plan, one word each
# (timeout | crash | clean), print what libFuzzer prints and exit with its codes. Re-running one
# input (a file, the last argument): MODE=slow waits 1 wall-second using no CPU, then exits 0 (as a
# 0.05 CPU-s input that waited for a loaded CPU); MODE=hang spins on the CPU forever.
cat >"$work/fuzz_fake" <<'SH'
#!/usr/bin/env bash
work=$(dirname "$0")
if [ -f "${!#}" ]; then
  case $MODE in slow) sleep 1; exit 0 ;; hang) while :; do :; done ;; esac
fi
n=$(( $(cat "$work/count" 2>/dev/null || echo 0) + 1 )); echo "$n" >"$work/count"
step=$(sed -n "${n}p" "$work/plan")
prefix=$(printf '%s\n' "$@" | sed -n 's/^-artifact_prefix=//p')
echo "args: $*"
case $step in
  timeout) echo "ALARM: working on the last Unit for 21 seconds"; echo "==1== ERROR: libFuzzer: timeout after 21 seconds"
           printf x >"${prefix}timeout-abc"; echo "artifact_prefix='$prefix'; Test unit written to ${prefix}timeout-abc"
           echo "stat::number_of_executed_units: 1000"; exit 70 ;;
  crash)   echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow"; printf y >"${prefix}crash-def"
           echo "Test unit written to ${prefix}crash-def"; exit 1 ;;
  *)       sleep 1; echo "stat::number_of_executed_units: 234"; exit 0 ;;
esac
SH
chmod +x "$work/fuzz_fake"

fails=0
check() {  # NAME WANT_RC WANT_EXECS MODE PLAN...: run fuzz_one for 60 s with the plan (its attempts take ~1 s each;
  # the deadline only has to outlast them on a loaded machine, where 5 s did not: slow-input-goes-on lost its second attempt)
  local name=$1 want_rc=$2 want_execs=$3 rc=0
  export MODE=$4; shift 4
  printf '%s\n' "$@" >"$work/plan"; rm -f "$work/count" "$work/fuzz_fake.execs" "$work"/crashes/*
  fuzz_one fake 60 "$work/corpus" >"$work/out" 2>&1 || rc=$?
  local execs; execs=$(cat "$work/fuzz_fake.execs" 2>/dev/null || echo none)
  if [ "$rc" != "$want_rc" ] || [ "$execs" != "$want_execs" ]; then
    echo "FAIL $name: exit $rc (want $want_rc), executions $execs (want $want_execs)"; cat "$work/out" "$work/fuzz_fake.log"; fails=$((fails + 1))
  else
    echo "ok $name: exit $rc, executions $execs: $(head -1 "$work/out")"
  fi
}
# A slow input under load: the run goes on for the time left and both attempts count.
check slow-input-goes-on 0 1234 slow timeout clean
# A real hang: exhausts the CPU limit alone.
check hang-fails 1 1000 hang timeout clean
# A crash is a finding, never re-checked as a timeout.
check crash-fails 1 0 slow crash clean
# What the finding was (the saved input), for run.sh --keep's ledger row.
[ "$(cat "$work/fuzz_fake.finding" 2>/dev/null)" = fake-crash-def ] || { echo "FAIL crash-fails: .finding is '$(cat "$work/fuzz_fake.finding" 2>/dev/null)', want fake-crash-def"; fails=$((fails + 1)); }
# A clean run.
check clean 0 234 slow clean
[ ! -e "$work/fuzz_fake.finding" ] || { echo "FAIL clean: a .finding file left from the run before"; fails=$((fails + 1)); }
# A run whose deadline has passed before its first attempt (set-up slow under load) still makes
# one attempt: 0 seconds stands for that.
printf 'clean\n' >"$work/plan"; rm -f "$work/count" "$work/fuzz_fake.execs"
MODE=slow fuzz_one fake 0 "$work/corpus" >"$work/out" 2>&1 || true
[ "$(cat "$work/fuzz_fake.execs")" = 234 ] || { echo "FAIL deadline-passed-runs-once: executions $(cat "$work/fuzz_fake.execs"), want 234"; cat "$work/out"; fails=$((fails + 1)); }
# The wall-clock limit: 20 s with the CPU to itself, larger when niced; SML_FUZZ_TIMEOUT overrides.
[ "$(SML_FUZZ_TIMEOUT=7 fuzz_timeout)" = 7 ] || { echo "FAIL SML_FUZZ_TIMEOUT"; fails=$((fails + 1)); }
[ "$(nice -n 19 bash -c ". '$here/runner.sh'; fuzz_timeout")" = 300 ] || { echo "FAIL niced timeout"; fails=$((fails + 1)); }

# run.sh itself (issue 20): the ledger credits the commit the harnesses were built from, so a
# --keep run on a tree with uncommitted changes, and any run whose tree changes during its build,
# exit 2 with one line before fuzzing. run.sh runs in a throw-away git repository holding copies of
# the three scripts and the few seed files it copies; a stand-in `cmake` "builds" stand-in
# harnesses (each reports 7 executions) and, when told, edits or commits in the tree meanwhile.
repo=$work/repo
mkdir -p "$repo/tests/fuzz" "$repo/tests/models" "$repo/tests/malformed/onnx" "$repo/tests/data/hw/devices" \
  "$repo/tests/data/catalog" "$repo/hw/devices" "$repo/catalog/archs" "$repo/examples/compositions" "$work/bin"
cp "$here/run.sh" "$here/runner.sh" "$here/options.sh" "$repo/tests/fuzz/"
for f in tests/models/resnet18.onnx tests/models/squeezenet1_0.onnx tests/data/hw/devices/d.yaml tests/data/catalog/c.yaml \
  hw/devices/nvidia-a100-sxm4-40gb.yaml catalog/archs/kws_cnn.yaml catalog/archs/mobilenet_v3_small.yaml examples/compositions/e.yaml; do
  echo seed >"$repo/$f"
done
echo '/build-*/' >"$repo/.gitignore"
printf 'date\tcommit\tharness\tseconds\texecutions\tfinding\n' >"$repo/tests/fuzz/executions.tsv"
git -C "$repo" init -q && git -C "$repo" add -A && git -C "$repo" -c user.name=t -c user.email=t@t commit -qm seed
cat >"$work/bin/cmake" <<'SH'
#!/usr/bin/env bash
[ "$1" = --build ] || exit 0
mkdir -p "$2/tests/fuzz"
# fuzz_$FINDING (when set) finds something 3 executions into fuzzing, as libFuzzer reports it.
for t in onnx yaml units describe scalesim import; do
  if [ "$t" = "${FINDING:-}" ]; then
    cat >"$2/tests/fuzz/fuzz_$t" <<'HARNESS'
#!/bin/sh
case "$*" in *-max_total_time=*) ;; *) echo "stat::number_of_executed_units: 7"; exit 0 ;; esac
prefix=$(printf '%s\n' "$@" | sed -n 's/^-artifact_prefix=//p')
echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow"; printf y >"${prefix}crash-def"
echo "Test unit written to ${prefix}crash-def"; echo "stat::number_of_executed_units: 3"; exit 1
HARNESS
  else
    printf '#!/bin/sh\necho "stat::number_of_executed_units: 7"\n' >"$2/tests/fuzz/fuzz_$t"
  fi
  chmod +x "$2/tests/fuzz/fuzz_$t"
done
repo=$(dirname "$2")
case ${DURING_BUILD:-} in
  edit) echo changed >>"$repo/hw/devices/nvidia-a100-sxm4-40gb.yaml" ;;
  commit) git -C "$repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m meanwhile ;;
esac
SH
chmod +x "$work/bin/cmake"
run_check() {  # NAME WANT_RC WANT_LEDGER_ROWS WANT_TEXT DURING_BUILD RUN_ARGS...: run.sh in $repo
  local name=$1 want_rc=$2 want_rows=$3 want_text=$4 rc=0 rows
  export DURING_BUILD=$5; shift 5
  PATH=$work/bin:$PATH SML_FUZZ_TIMEOUT=20 bash "$repo/tests/fuzz/run.sh" "$@" >"$work/out" 2>&1 || rc=$?
  rows=$(($(wc -l <"$repo/tests/fuzz/executions.tsv") - 1))
  cat "$repo/tests/fuzz/executions.tsv" >>"$work/out"
  if [ "$rc" != "$want_rc" ] || [ "$rows" != "$want_rows" ] || ! grep -qF -- "$want_text" "$work/out"; then
    echo "FAIL $name: exit $rc (want $want_rc), ledger rows $rows (want $want_rows), want '$want_text' in:"; cat "$work/out"; fails=$((fails + 1))
  else
    echo "ok $name: exit $rc, ledger rows $rows: $(grep -m1 -F -- "$want_text" "$work/out")"
  fi
}
run_check tree-left-alone 0 0 'fuzz_units: 7 executions' '' 1 --targets units
run_check edit-during-build 2 0 'the tree changed during the build' edit 1 --targets units
git -C "$repo" checkout -q -- .
run_check commit-during-build 2 0 'the tree changed during the build' commit 1 --targets units
echo local >>"$repo/tests/models/resnet18.onnx"
run_check keep-on-dirty-tree 2 0 '--keep on a tree with uncommitted changes' '' 1 --keep --targets units
git -C "$repo" checkout -q -- .
run_check keep-on-clean-tree 0 1 "$(git -C "$repo" rev-parse --short HEAD)	units	1	7	-" '' 1 --keep --targets units
# A run in which one harness finds something fails, and is recorded all the same: the other
# harness's row as usual, the finding one's executions up to the finding, named in the sixth column.
git -C "$repo" -c user.name=t -c user.email=t@t commit -qam ledger
head=$(git -C "$repo" rev-parse --short HEAD)
FINDING=yaml run_check keep-with-a-finding 1 3 "$head	units	2	7	-" '' 2 --keep --targets "units yaml"
if ! grep -qE "^[0-9-]+	$head	yaml	[0-9]+	3	yaml-crash-def\$" "$repo/tests/fuzz/executions.tsv"; then
  echo "FAIL keep-with-a-finding: no row 'yaml … 3 yaml-crash-def' in:"; cat "$repo/tests/fuzz/executions.tsv"; fails=$((fails + 1))
fi
[ "$fails" = 0 ] && echo "runner.sh: all cases pass"
exit "$fails"
