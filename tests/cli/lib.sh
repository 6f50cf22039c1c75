# Helpers shared by the CLI test scripts (sourced): check NAME EXIT COMMAND... runs a command and
# compares its exit status; expect_in NAME FILE TEXT looks for TEXT in FILE; expect_eq and
# expect_true check a value and a test. Output of the last
# command is in $tmp/out and $tmp/err; counts in $pass and $fail; finish prints the closing line.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
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
