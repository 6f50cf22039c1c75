#!/usr/bin/env bash
# Every doctest suite in the unit-test binary has a ctest of its own, and no test case is outside a
# suite: ctest runs the binary one --test-suite at a time, so a suite or a case it is not given is
# never run. Usage: suites.sh SML_UNIT_TESTS SUITE... (the suites tests/CMakeLists.txt registers)
set -u
bin=$1
shift
fail=0
listed=$("$bin" --list-test-suites --no-version | sed -n '/^=*$/d; /^\[doctest\]/d; p' | sort -u)
[ -n "$listed" ] || { echo "FAIL: $bin lists no test suite"; exit 1; }
for s in $listed; do
  case " $* " in *" $s "*) ;; *) echo "FAIL: suite $s has no ctest (add it to SML_UNIT_SUITES in tests/CMakeLists.txt)"; fail=1 ;; esac
done
count() { "$bin" --count --no-version "$@" | sed -n 's/.*passing the current filters: \([0-9]*\)$/\1/p' | head -1; }
all=$(count)
in_suites=0
for s in "$@"; do in_suites=$((in_suites + $(count --test-suite="$s"))); done
if [ "$all" != "$in_suites" ]; then echo "FAIL: $all test cases, $in_suites in the registered suites"; fail=1; fi
[ "$fail" = 0 ] && echo "$(echo "$listed" | wc -w) suites, $all test cases, all registered"
exit $fail
