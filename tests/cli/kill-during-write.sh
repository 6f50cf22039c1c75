#!/usr/bin/env bash
# SIGKILL a tool while it works on a large output: the target must be absent or the previous
# complete file, never half-written, and no temporary file may be left behind (issue 9).
set -u
tool=$1
model=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target=$tmp/out.yaml
"$tool" "$model" -q -o "$tmp/complete.yaml" || exit 1
pass=0 fail=0
for i in $(seq 1 30); do
  if [ $((i % 2)) = 0 ]; then cp "$tmp/complete.yaml" "$target"; else rm -f "$target"; fi
  cp "$target" "$tmp/before.yaml" 2>/dev/null || rm -f "$tmp/before.yaml"
  "$tool" "$model" -q -o "$target" &
  pid=$!
  sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
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
"$tool" "$model" -q -o "$target" || exit 1
left=$(ls -A "$tmp" | grep -c 'sml-tmp' || true)
if [ "$left" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $left temporary files left"; fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
