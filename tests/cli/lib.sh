# Helpers shared by the CLI test scripts (sourced): check NAME EXIT COMMAND... runs a command and
# compares its exit status; expect_in NAME FILE TEXT looks for TEXT in FILE; expect_eq and
# expect_true check a value and a test. Output of the last
# command is in $tmp/out and $tmp/err; counts in $pass and $fail; finish prints the closing line.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
# LeakSanitizer and SystemC's coroutines: Debian's SystemC 2.3.4 runs its processes on QuickThreads
# stacks it allocates with mprotect'ed guard pages and does not tell ASan when it switches stacks, so
# ASan records a coroutine stack as the main thread's. At exit LeakSanitizer's tracer scans that range,
# skips the guard pages at its end, and on some kernels faults on one inside it ("Tracer caught
# signal 11 ... LeakSanitizer has encountered a fatal error", 3 of 5 runs of one --systemc case on
# kernel 6.18, 8 Dec 2026; 0 of 20 with use_stacks=0). use_stacks=0 leaves stacks out of the roots,
# which can only add leak reports, never hide one; every other check keeps the caller's settings.
systemc_env=(env "LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}use_stacks=0")

check() {
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $name: exit $got, expected $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5
  fi
}
expect_in() {
  if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: '$3' not in $2:"; head -5 "$2" | sed 's/^/  /'
  fi
}
# expect_eq NAME GOT WANT: the two values are equal.
expect_eq() {
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: got '$2', expected '$3'"
  fi
}
# expect_true NAME TEST...: the test command succeeds (e.g. expect_true out-absent [ ! -e f ]).
expect_true() {
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
