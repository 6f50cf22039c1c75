#!/usr/bin/env bash
# fuzz_import around its inputs (issue 20), through tests/fuzz/host_main.cpp in the ordinary build:
# 1. its scratch folder is gone once the process has ended: after a normal exit, and after a
#    SIGKILL (the paths where libFuzzer leaves by _Exit, on a crash or a timeout, or is killed, run
#    no code of the harness's);
# 2. an input that crashes libonnx in the fork server's child is refused as before (the harness
#    goes on) and saved byte for byte as <artifact_prefix>crash-libonnx-<hash>, once however often
#    it is run; an input that does not crash libonnx is not saved.
#   test_import_harness.sh HOST_BINARY MALFORMED_ONNX_DIR MODELS_DIR
set -euo pipefail
bin=$1 malformed=$2 models=$3
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export SML_FUZZ_SCRATCH_ROOT=$work/shm
mkdir -p "$work/shm" "$work/art"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# Waits (at most 60 s) for the scratch folders under $work/shm to be removed; lists what is left.
removed() {
  for _ in $(seq 600); do [ -z "$(ls -A "$work/shm")" ] && return 0; sleep 0.1; done
  ls -l "$work/shm"
  return 1
}

# 1a. A normal run, inputs refused by our reader and by libonnx.
rc=0
"$bin" "$models/squeezenet1_0.onnx" "$malformed/empty.onnx" >"$work/normal.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "exit status $rc on a normal run: $(tail -3 "$work/normal.log")"
removed || fail "a run that exited normally left its scratch folder"

# 1b. Killed while it runs.
SML_FUZZ_HOST_PAUSE=1 "$bin" "$malformed/empty.onnx" >"$work/killed.log" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q paused "$work/killed.log" && break; sleep 0.1; done
grep -q paused "$work/killed.log" || fail "the harness did not get to its pause: $(tail -3 "$work/killed.log")"
[ -n "$(ls -A "$work/shm")" ] || fail "no scratch folder under SML_FUZZ_SCRATCH_ROOT while the harness runs"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
pid=
removed || fail "a run killed with SIGKILL left its scratch folder"

# 2. The two libonnx crashers of issue 20 (SIGFPE on zero strides, SIGSEGV on a mutated op type),
#    the first one twice, and a model libonnx accepts.
rc=0
"$bin" -artifact_prefix="$work/art/import-" "$malformed/import-zero-strides.onnx" "$models/squeezenet1_0.onnx" \
  "$malformed/import-mutated-op.onnx" "$malformed/import-zero-strides.onnx" >"$work/crash.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "exit status $rc: a libonnx crash took the harness down: $(tail -3 "$work/crash.log")"
[ "$(grep -c 'crashed on the model' "$work/crash.log")" = 3 ] || fail "expected 3 refusals for a libonnx crash: $(cat "$work/crash.log")"
saved=$(ls "$work/art")
[ "$(echo "$saved" | grep -c '^import-crash-libonnx-')" = 2 ] && [ "$(echo "$saved" | wc -l)" = 2 ] ||
  fail "expected two import-crash-libonnx-* files, got: $saved"
for m in import-zero-strides.onnx import-mutated-op.onnx; do
  found=0
  for f in "$work"/art/*; do cmp -s "$f" "$malformed/$m" && found=1; done
  [ "$found" = 1 ] || fail "$m, which crashes libonnx, was not saved byte for byte"
done
removed || fail "the crash run left its scratch folder"

[ "$fails" = 0 ] && echo "fuzz_import harness: scratch folder removed after a normal exit and a SIGKILL; libonnx crashers saved (2 of 2), others not"
exit "$fails"
