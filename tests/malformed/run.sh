#!/usr/bin/env bash
# Every malformed input (cases.tsv) must make its tool exit 2 with exactly one line on stderr
# that names the file, and write no output (issue 9).
set -u
tool=$1
describe=${2:-$(dirname "$tool")/sml-describe}
suggest=${3:-$(dirname "$tool")/sml-suggest}
accelsim=${4:-$(dirname "$tool")/sml-accelsim}
compose=${5:-$(dirname "$tool")/sml-compose}
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3, 96, 4,\n' >"${TMPDIR:-/tmp}/sml-malformed-good.csv"
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
model=$(cd "$here/../models" && pwd)/resnet18.onnx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
plan=(--train-samples 1000 -q)
while IFS=$'\t' read -r file role expect; do
  case "$file" in ''|'#'*) continue ;; esac
  path=$here/$file
  out=$tmp/out.yaml
  rm -f "$out"
  case "$role" in
    model|regression) args=("$path" --hw "$data/hw" --catalog "$data/catalog" --device test-gpu "${plan[@]}") ;;
    baseline) args=("$model" --baseline "$path" -q) ;;
    device) args=("$model" --catalog "$data/catalog" --device "$path" "${plan[@]}") ;;
    hw) rm -rf "$tmp/hw"; mkdir -p "$tmp/hw/devices"; cp "$path" "$tmp/hw/devices/"
        args=("$model" --hw "$tmp/hw" --catalog "$data/catalog" --device test-gpu "${plan[@]}") ;;
    regions|footprint)
        rm -rf "$tmp/catalog"; mkdir -p "$tmp/catalog"; cp "$data/catalog/regions.yaml" "$data/catalog/footprint.yaml" "$tmp/catalog/"
        cp "$path" "$tmp/catalog/$role.yaml"
        args=("$model" --hw "$data/hw" --catalog "$tmp/catalog" --device test-gpu --region AA "${plan[@]}") ;;
    task) args=("$path") ;;
    describe) args=(-f "$path") ;;
    data) args=(--data "$path") ;;
    topology) args=("$path") ;;
    cfg) args=("${TMPDIR:-/tmp}/sml-malformed-good.csv" --accel "$path") ;;
    composition) args=("$path" -q) ;;
    import) args=(--import "$path" -q) ;;
    accel) args=("${TMPDIR:-/tmp}/sml-malformed-good.csv" --accel "$path") ;;
    *) echo "unknown role $role for $file"; fail=$((fail + 1)); continue ;;
  esac
  runner=$tool
  [ "$role" = task ] && runner=$suggest
  { [ "$role" = describe ] || [ "$role" = data ]; } && runner=$describe
  { [ "$role" = topology ] || [ "$role" = cfg ]; } && runner=$accelsim
  { [ "$role" = composition ] || [ "$role" = import ]; } && runner=$compose
  [ "$role" = accel ] && runner=$accelsim
  "$runner" "${args[@]}" -o "$out" >/dev/null 2>"$tmp/err"
  rc=$?
  lines=$(wc -l <"$tmp/err")
  named=$(basename "$file")
  [ "$role" = regions ] || [ "$role" = footprint ] && named=$role.yaml
  why=""
  if [ "$role" = regression ]; then
    # Once a crash: loading or refusing are both fine, a crash or internal error is not.
    if [ "$rc" = 0 ] || [ "$rc" = 2 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $file: exit $rc"; fi
    continue
  fi
  [ "$rc" = 2 ] || why="exit $rc"
  [ "$lines" = 1 ] || why="$why; $lines lines on stderr"
  grep -qF -- "$named" "$tmp/err" || why="$why; message does not name $named"
  [ ! -e "$out" ] || why="$why; wrote an output"
  # A third column: what the message must also say ("FILE:LINE|KEY"), each piece in turn.
  if [ -n "${expect:-}" ]; then
    IFS='|' read -ra pieces <<<"$expect"
    for piece in "${pieces[@]}"; do grep -qF -- "$piece" "$tmp/err" || why="$why; message does not say '$piece'"; done
  fi
  if [ -z "$why" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $file ($role): $why"; head -3 "$tmp/err" | sed 's/^/  /'
  fi
done <"$here/cases.tsv"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
