#!/usr/bin/env bash
# Hostile input and careless scripts, round 2 (issue 20): outputs that never clobber what they
# should not (device nodes, symlinks, FIFOs, inputs, each other), all outputs of a run committed
# together, concurrent writers, external data that is a FIFO, streams with no end, names from files
# escaped in messages, text that is not UTF-8 in JSON/YAML, value errors on the command line.
#   hostile-io.sh TOOLS_DIR MODELS_DIR
set -u
bin=$1
models=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
est=$bin/sml-estimate compose=$bin/sml-compose describe=$bin/sml-describe suggest=$bin/sml-suggest
model=$models/resnet18.onnx
skipped=0

# --- -o onto things that are not regular files: written through or refused, never replaced ----
if [ "$(id -u)" = 0 ] && mknod "$tmp/null" c 1 3 2>/dev/null; then
  check dev-null 0 "$est" "$model" -q -o "$tmp/null"
  expect_true dev-null-still-a-device [ -c "$tmp/null" ]
else
  echo "SKIPPED device-node test (needs root to mknod)"; skipped=$((skipped + 1))
fi
ln -s /proc/self/fd/1 "$tmp/link"
"$est" "$model" -q -o "$tmp/link" >"$tmp/through.yaml" 2>"$tmp/err"
expect_eq link-to-stdout-exit "$?" 0
expect_true link-kept [ -L "$tmp/link" ]
expect_in link-written-through "$tmp/through.yaml" "sml: estimate/v1"
mkfifo "$tmp/fifo-out"
timeout 20 "$est" "$model" -q -o "$tmp/fifo-out" >/dev/null 2>"$tmp/err"
expect_eq fifo-no-reader-refused "$?" 2
expect_true fifo-kept [ -p "$tmp/fifo-out" ]
cat "$tmp/fifo-out" >"$tmp/from-fifo" &
reader=$!
sleep 0.2
timeout 20 "$est" "$model" -q -o "$tmp/fifo-out" >/dev/null 2>"$tmp/err"
expect_eq fifo-with-reader "$?" 0
wait "$reader"
expect_in fifo-written-through "$tmp/from-fifo" "sml: estimate/v1"
echo original >"$tmp/real.yaml"
ln -s real.yaml "$tmp/alias.yaml"
check symlink-to-file 0 "$est" "$model" -q -o "$tmp/alias.yaml"
expect_true symlink-kept [ -L "$tmp/alias.yaml" ]
expect_in symlink-target-replaced "$tmp/real.yaml" "sml: estimate/v1"

# --- all outputs of a run, or none ----------------------------------------------------------------
check plot-unwritable 2 "$est" "$model" -q --device a100 --train-samples 1000 -o "$tmp/a.yaml" --plot "$tmp/no/such/dir/p.svg"
expect_true plot-unwritable-no-output [ ! -e "$tmp/a.yaml" ]
check junit-unwritable 2 "$est" "$model" -q --device a100 --train-samples 1000 -o "$tmp/a.yaml" --junit "$tmp/no/such/dir/j.xml"
expect_true junit-unwritable-no-output [ ! -e "$tmp/a.yaml" ]
check same-file-twice 1 "$est" "$model" -q --device a100 --train-samples 1000 -o "$tmp/b.yaml" --plot "$tmp/b.yaml"
expect_true same-file-twice-nothing [ ! -e "$tmp/b.yaml" ]
check same-file-twice-via-dot 1 "$est" "$model" -q --device a100 --train-samples 1000 -o "$tmp/b.yaml" --plot "$tmp/./b.yaml"
# --external-data onto its own input: refused before the input's data file is touched.
check external-make 0 "$compose" --arch resnet18 --external-data -q -o "$tmp/A.onnx"
sum_before=$(cksum <"$tmp/A.onnx.data")
check external-onto-input 1 "$compose" --import "$tmp/A.onnx" --external-data -q -o "$tmp/A.onnx"
expect_eq external-data-untouched "$(cksum <"$tmp/A.onnx.data")" "$sum_before"
check external-input-still-loads 0 "$est" "$tmp/A.onnx" -q
expect_true no-temporaries-left [ -z "$(find "$tmp" -name '*.sml-tmp*')" ]

# --- concurrent writers to one output: every run succeeds, the last rename wins, nothing left --
rounds=15 bad=0
for r in $(seq 1 "$rounds"); do
  pids=()
  for w in 1 2 3 4; do "$est" "$model" -q -o "$tmp/shared.yaml" 2>>"$tmp/concurrent.err" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
done
expect_eq concurrent-all-succeed "$bad" 0
expect_true concurrent-complete-document cmp -s "$tmp/shared.yaml" <("$est" "$model" -q)
expect_true concurrent-nothing-left [ -z "$(find "$tmp" -name '*.sml-tmp*')" ]

# --- external data that is a FIFO: refused at once, no hang -------------------------------------
mkdir "$tmp/fifo-model"
cp "$here/../malformed/onnx/external-missing/model.onnx" "$tmp/fifo-model/"
mkfifo "$tmp/fifo-model/weights.bin"
timeout 20 "$est" "$tmp/fifo-model/model.onnx" -q >/dev/null 2>"$tmp/err"
expect_eq fifo-external-estimate "$?" 2
timeout 20 "$compose" --import "$tmp/fifo-model/model.onnx" -q -o "$tmp/x.onnx" 2>"$tmp/err"
expect_eq fifo-external-import "$?" 2
expect_in fifo-external-says-why "$tmp/err" "not a regular file"

# --- streams are read up to a cap --------------------------------------------------------------
timeout 60 "$est" /dev/zero -q >/dev/null 2>"$tmp/err"
expect_eq dev-zero-capped "$?" 2
expect_in dev-zero-says-why "$tmp/err" "from a stream"

# --- names from files reach stderr escaped, on one line --------------------------------------------
"$est" "$here/../malformed/onnx/external-escape/model.onnx" -q >/dev/null 2>"$tmp/err"
expect_eq escape-exit "$?" 2
expect_eq escape-one-line "$(wc -l <"$tmp/err")" 1
expect_eq escape-no-esc-byte "$(tr -cd '\033' <"$tmp/err" | wc -c)" 0
expect_in escape-shown "$tmp/err" '\x1b'

# --- text that is not UTF-8 comes out as valid UTF-8 in JSON and YAML -------------------------------
printf 'classify photos of caf\xe9 menus \x85 into 10 classes' >"$tmp/latin1.txt"
check latin1-json 0 "$describe" -f "$tmp/latin1.txt" --format json
expect_true latin1-json-strict /usr/bin/python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$tmp/out"
check latin1-yaml 0 "$describe" -f "$tmp/latin1.txt"
expect_true latin1-yaml-strict /usr/bin/python3 -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1],"rb").read().decode("utf-8"))' "$tmp/out"
# Text with a NUL in it is still text, not a model.
printf 'classify images of cats\0 and dogs into 2 classes' >"$tmp/nul.txt"
check nul-text 0 "$describe" -f "$tmp/nul.txt"
expect_in nul-text-is-task "$tmp/out" "sml: task/v1"

# --- bad values on the command line: exit 2, no NaN printed --------------------------------------
task=$tmp/task.yaml
"$describe" "classify photos of birds, 5000 images" -o "$task" 2>/dev/null
for v in nan inf 1e400 -3 0; do
  check "finetune-epochs-$v" 2 "$suggest" "$task" --finetune-epochs "$v"
  expect_true "finetune-epochs-$v-no-output" [ ! -s "$tmp/out" ]
done
check train-samples-negative 2 "$est" "$model" --device a100 --train-samples -5
check carbon-intensity-nan 2 "$est" "$model" --device a100 --train-samples 5 --carbon-intensity nan
check train-samples-text 1 "$est" "$model" --device a100 --train-samples lots

echo "$skipped skipped"
finish
