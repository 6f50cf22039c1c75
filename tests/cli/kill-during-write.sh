#!/usr/bin/env bash
# SIGKILL a tool while it works on a large output: the target must be absent or the previous
# complete file, never half-written, and no temporary file may be left behind (issue 9).
#   kill-during-write.sh TOOL ARGS...   (the tool runs as TOOL ARGS... -q -o TARGET)
set -u
tool=$1
shift
args=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target=$tmp/out.yaml
start=$(date +%s%N)
"$tool" "${args[@]}" -q -o "$tmp/complete.yaml" || exit 1
# Kills land anywhere in a run: at random moments up to the time a whole run takes (at least
# 0.1 s), in as many rounds as fit in about 20 s (8 to 30).
run_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$run_ms" -ge 100 ] || run_ms=100
rounds=$(( 20000 / run_ms ))
[ "$rounds" -le 30 ] || rounds=30
[ "$rounds" -ge 8 ] || rounds=8
pass=0 fail=0
for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) = 0 ]; then cp "$tmp/complete.yaml" "$target"; else rm -f "$target"; fi
  cp "$target" "$tmp/before.yaml" 2>/dev/null || rm -f "$tmp/before.yaml"
  "$tool" "${args[@]}" -q -o "$target" &
  pid=$!
  delay=$(( RANDOM * run_ms / 32768 ))
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -e "$target" ] && ! cmp -s "$target" "$tmp/complete.yaml"; then
    fail=$((fail + 1)); echo "FAIL round $i: target is neither absent nor a complete document"
  elif [ ! -e "$target" ] && [ -e "$tmp/before.yaml" ]; then
    fail=$((fail + 1)); echo "FAIL round $i: the previous file disappeared"
  else
    pass=$((pass + 1))
  fi
done
# A kill in the microseconds between naming the finished file and renaming it can leave that one
# name behind; the next complete run of the same target replaces it. Nothing else may remain.
"$tool" "${args[@]}" -q -o "$target" || exit 1
left=$(ls -A "$tmp" | grep -c 'sml-tmp' || true)
if [ "$left" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $left temporary files left"; fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
