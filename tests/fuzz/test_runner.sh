#!/usr/bin/env bash
# Tests tests/fuzz/runner.sh (issue 20) with a stand-in for a libFuzzer harness, so it needs no
# clang build: a run that stops on a wall-clock timeout whose input finishes alone under the CPU
# limit keeps its executions and goes on; an input that spins past the CPU limit is a finding; a
# crash is a finding; a clean run counts its executions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
BUILD=$work FUZZ_BIN_DIR=$work
mkdir -p "$work/crashes" "$work/corpus"
fuzz_asan_options() { echo "$ASAN_OPTIONS"; }
fuzz_max_len() { echo 4096; }
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
check() {  # NAME WANT_RC WANT_EXECS MODE PLAN...: run fuzz_one for 5 s with the plan
  local name=$1 want_rc=$2 want_execs=$3 rc=0
  export MODE=$4; shift 4
  printf '%s\n' "$@" >"$work/plan"; rm -f "$work/count" "$work/fuzz_fake.execs" "$work"/crashes/*
  fuzz_one fake 5 "$work/corpus" >"$work/out" 2>&1 || rc=$?
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
# A clean run.
check clean 0 234 slow clean
# The wall-clock limit: 20 s with the CPU to itself, larger when niced; SML_FUZZ_TIMEOUT overrides.
[ "$(SML_FUZZ_TIMEOUT=7 fuzz_timeout)" = 7 ] || { echo "FAIL SML_FUZZ_TIMEOUT"; fails=$((fails + 1)); }
[ "$(nice -n 19 bash -c ". '$here/runner.sh'; fuzz_timeout")" = 300 ] || { echo "FAIL niced timeout"; fails=$((fails + 1)); }
[ "$fails" = 0 ] && echo "runner.sh: all cases pass"
exit "$fails"
