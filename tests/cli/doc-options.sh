#!/usr/bin/env bash
# Every option a tool's --help lists is in its man page, and every option a man page gives an entry
# of its own (the line after .TP) is one the tool's --help lists: a new option without its man
# page, or a page that still documents a removed one, fails. Usage: doc-options.sh MAN_DIR TOOLS_DIR
set -u
man=$1
tools=$2
. "$(dirname "$0")/lib.sh"
for t in sml-describe sml-estimate sml-suggest sml-compose sml-accelsim; do
  # --help's options: the long name that begins a line (after a short one: -o,--output).
  "$tools/$t" --help | sed -nE 's/^ +(-[A-Za-z],)?(--[a-z][a-z0-9-]*).*/\2/p' | sort -u >"$tmp/help"
  # The page's options, \- undone; and those that head an entry (.TP's next line).
  sed 's/\\-/-/g' "$man/$t.1" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/page"
  awk '/^\.TP/ {getline; print}' "$man/$t.1" | sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/entries"
  [ -s "$tmp/help" ] || { fail=$((fail + 1)); echo "FAIL $t: --help listed no option"; continue; }
  undocumented=$(comm -23 "$tmp/help" "$tmp/page" | tr '\n' ' ')
  stale=$(comm -13 "$tmp/help" "$tmp/entries" | tr '\n' ' ')
  expect_eq "$t: options in --help but not in man/$t.1" "$undocumented" ""
  expect_eq "$t: man/$t.1 entries for options --help does not list" "$stale" ""
done
finish
