#!/usr/bin/env bash
# Every man page renders with man -l and groff prints no warning, at three widths.
set -u
dir=$1
pass=0 fail=0
for page in "$dir"/*.[1-8]; do
  for width in 80 100 120; do
    out=$(LC_ALL=C.UTF-8 MANWIDTH=$width man --warnings -l "$page" 2>&1 >/dev/null)
    if [ -z "$out" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $page at $width columns: $out"; fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
