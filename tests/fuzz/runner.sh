# One harness's fuzz run, sourced by tests/fuzz/run.sh (and tests/fuzz/test_runner.sh, which drives
# it with a stand-in harness). Why it is more than one libFuzzer call:
# libFuzzer's -timeout is wall-clock. Under `nice -n 19` on a loaded machine (six engineers on two
# cores, load 16) an input that takes 0.05 CPU-s waited past 20 wall-seconds for the CPU, so
# libFuzzer stopped on a "timeout" that was no hang and run.sh dropped the run's executions and
# corpus (issue 20, 2026-12-06). So:
# - the wall-clock -timeout is larger when the process is niced or the load exceeds the cores
#   (fuzz_timeout), and
# - a run that stops on a timeout has its input re-run alone under a CPU-time limit (RLIMIT_CPU
#   counts only the CPU the process gets, so the load does not matter): an input that finishes
#   there was slow only in wall time; its run's executions and corpus count, and fuzzing goes on for
#   the time left. An input that exhausts the CPU limit (a real hang) or fails otherwise is a finding.
# Reads: BUILD (holds crashes/), FUZZ_BIN_DIR (holds fuzz_TARGET), fuzz_asan_options/fuzz_max_len
# (options.sh). Writes $BUILD/fuzz_TARGET.log (every attempt's log), .execs (executions, summed: on a
# finding, those up to it, as libFuzzer's final stats give them), and on a finding .finding (what it
# was: the saved input's name, crash-… or timeout-…, or "finding" where none was saved) and .seconds
# (wall seconds fuzzed until it): run.sh --keep records them in the ledger.

# Per-input wall-clock limit for libFuzzer: 20 s when the process has the CPU to itself, else larger
# (SML_FUZZ_TIMEOUT overrides). Only a first sieve: the CPU-time re-check decides.
fuzz_timeout() {
  if [ -n "${SML_FUZZ_TIMEOUT:-}" ]; then echo "$SML_FUZZ_TIMEOUT"; return; fi
  local niceness load cores
  niceness=$(nice) load=$(cut -d' ' -f1 /proc/loadavg) cores=$(nproc)
  if [ "$niceness" -gt 0 ] || awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > c) }'; then echo 300; else echo 20; fi
}

# CPU seconds a timeout input may use when re-run alone: the 20 s per input plus the harness's
# start-up (fuzz_describe's LLVMFuzzerInitialize loads the catalogues: 2-25 CPU-s under ASan).
fuzz_recheck_cpu() { echo "${SML_FUZZ_RECHECK_CPU:-50}"; }

fuzz_log_executions() { grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$1" | grep -o '[0-9]*$' || echo 0; }

# TARGET SECONDS CORPUS_DIR: fuzz for SECONDS (wall), re-checking timeout inputs; prints one line;
# returns 1 on a finding. The executions of every attempt are summed into $BUILD/fuzz_TARGET.execs.
fuzz_one() {
  local target=$1 seconds=$2 corpus=$3
  local bin=$FUZZ_BIN_DIR/fuzz_$target log=$BUILD/fuzz_$target.log execs=0 deadline timeout attempt=0
  local left alog rc saved options start
  options=$(fuzz_asan_options "$target")
  start=$(date +%s)
  deadline=$(( start + seconds ))
  : >"$log"
  rm -f "$BUILD/fuzz_$target.finding" "$BUILD/fuzz_$target.seconds"
  echo 0 >"$BUILD/fuzz_$target.execs"
  while :; do
    left=$(( deadline - $(date +%s) ))
    # At least one attempt, however long the set-up above took: on a loaded machine a short run's
    # deadline could pass before the first attempt, and the run counted 0 executions (test_runner.sh's
    # 1-second runs failed that way at load 15-18).
    if [ "$left" -le 0 ]; then [ "$attempt" = 0 ] || break; left=1; fi
    attempt=$((attempt + 1)) timeout=$(fuzz_timeout)
    alog=$BUILD/fuzz_$target.attempt.log
    rc=0
    ASAN_OPTIONS=$options LD_BIND_NOW=$(fuzz_bind_now "$target") "$bin" "$corpus" -max_total_time="$left" -max_len="$(fuzz_max_len "$target")" \
      -rss_limit_mb=2048 -timeout="$timeout" -artifact_prefix="$BUILD/crashes/$target-" -print_final_stats=1 \
      >"$alog" 2>&1 || rc=$?
    { echo "=== attempt $attempt: -max_total_time=$left -timeout=$timeout, exit $rc"; cat "$alog"; } >>"$log"
    execs=$(( execs + $(fuzz_log_executions "$alog") ))
    echo "$execs" >"$BUILD/fuzz_$target.execs"
    [ "$rc" = 0 ] && break
    saved=$(grep -o "Test unit written to .*" "$alog" | tail -1 | sed 's/Test unit written to //' || true)
    if grep -q 'ERROR: libFuzzer: timeout after' "$alog" && [ -f "$saved" ]; then
      if fuzz_recheck "$target" "$saved" >>"$log" 2>&1; then
        echo "fuzz_$target: attempt $attempt stopped on a wall-clock timeout; $saved finishes within $(fuzz_recheck_cpu) CPU-s alone (not a hang), going on" >>"$log"
        mv "$saved" "$BUILD/crashes/slow-$(basename "$saved")"
        continue
      fi
      echo "fuzz_$target: FAILED (a hang: $saved does not finish within $(fuzz_recheck_cpu) CPU-s alone)"
    else
      echo "fuzz_$target: FAILED"
    fi
    echo $(( $(date +%s) - start )) >"$BUILD/fuzz_$target.seconds"
    if [ -n "$saved" ]; then basename "$saved"; else echo finding; fi >"$BUILD/fuzz_$target.finding"
    tail -30 "$alog"
    # A harness run without the symbolizer (options.sh): the saved input again, with it.
    if [ "$options" != "$ASAN_OPTIONS" ] && [ -f "$saved" ]; then
      echo "fuzz_$target: $saved again, symbolized:"
      "$bin" -timeout=0 "$saved" 2>&1 | tail -40
    fi
    return 1
  done
  echo "fuzz_$target: $execs executions in $attempt run(s), no crash"
}

# TARGET INPUT: run INPUT alone with no wall-clock limit and a CPU-time limit; 0 when it finishes.
fuzz_recheck() {
  local target=$1 input=$2 cpu
  cpu=$(fuzz_recheck_cpu)
  echo "re-check: $input alone, at most $cpu CPU-s"
  # A subshell, so the limit binds only the re-run. SIGXCPU/SIGKILL at the limit give 152/137.
  ( ulimit -t "$cpu"; ASAN_OPTIONS=$(fuzz_asan_options "$target") LD_BIND_NOW=$(fuzz_bind_now "$target") exec "$FUZZ_BIN_DIR/fuzz_$target" -timeout=0 \
      -rss_limit_mb=2048 "$input" )
}
