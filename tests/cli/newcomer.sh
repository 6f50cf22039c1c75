#!/usr/bin/env bash
# The rough edges a newcomer hit (issue 19): binary ONNX never on a terminal unless -o -, "did you
# mean" for misspelled flags, devices and regions, and --sweep --systemc saying what it does.
set -u
bin=$1
models=$2
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "skipped: needs script (bsdutils) for a terminal"; exit 77; }
# On a terminal (script gives the tool a pty): refused, exit 1, nothing written; -o - forces it.
script -qec "'$bin/sml-compose' --arch kws_cnn -q; echo rc=\$?" "$tmp/tty.log" >/dev/null 2>&1
expect_in compose-tty-refused "$tmp/tty.log" "refusing to write a binary ONNX model to a terminal"
expect_in compose-tty-exit "$tmp/tty.log" "rc=1"
script -qec "'$bin/sml-compose' --arch kws_cnn -q -o -; echo rc=\$?" "$tmp/forced.log" >/dev/null 2>&1
expect_in compose-tty-forced "$tmp/forced.log" "rc=0"
expect_true compose-tty-forced-bytes [ "$(wc -c <"$tmp/forced.log")" -gt 10000 ]
# Not a terminal: a pipe gets the model as before.
"$bin/sml-compose" --arch kws_cnn -q | head -c 4 >"$tmp/piped"
expect_eq compose-pipe "$(wc -c <"$tmp/piped")" 4

plan=(--train-samples 10k --epochs 1)
check device-words 2 "$bin/sml-estimate" "$models/resnet18.onnx" --device "jetson nano" "${plan[@]}"
expect_in device-words-first "$tmp/err" "did you mean nvidia-jetson-nano?"
expect_eq device-words-not-a10 "$(grep -c 'nvidia-a10[,?]' "$tmp/err")" 0
check device-none 2 "$bin/sml-estimate" "$models/resnet18.onnx" --device "quantum toaster" "${plan[@]}"
expect_in device-none-says "$tmp/err" "unknown device 'quantum toaster': no such device"
check region-name 2 "$bin/sml-estimate" "$models/resnet18.onnx" --device a100 --region Germany "${plan[@]}"
expect_in region-name-first "$tmp/err" "did you mean DE (Germany)"
check flag-typo 1 "$bin/sml-estimate" "$models/resnet18.onnx" --devise a100
expect_in flag-typo-hint "$tmp/err" "--devise: did you mean --device?"
check flag-typo-value 1 "$bin/sml-estimate" "$models/resnet18.onnx" --regoin=DE
expect_in flag-typo-value-hint "$tmp/err" "--regoin: did you mean --region?"
check flag-far 1 "$bin/sml-suggest" --frobnicate
expect_eq flag-far-no-guess "$(grep -c 'did you mean' "$tmp/err")" 0

check sweep-systemc 0 "${systemc_env[@]}" "$bin/sml-accelsim" "$models/resnet18.onnx" --accel tpu-v1 --sweep array=16x16,32x32 --systemc -q
expect_in sweep-systemc-says "$tmp/err" "the sweep uses the closed form for every point"
expect_in sweep-systemc-doc "$tmp/out" "sml: accelsweep/v1"

# Markdown: one number format per column of the summary (parameters once printed as 1248424 under
# 1.17e+07), and gate rows with their units.
for m in resnet18 squeezenet1_0; do
  "$bin/sml-estimate" "$models/$m.onnx" --device a100 "${plan[@]}" --no-layers -q -o "$tmp/$m.estimate.yaml"
done
check summary-md 0 "$bin/sml-estimate" --summarize "$tmp/resnet18.estimate.yaml" "$tmp/squeezenet1_0.estimate.yaml" --format markdown
expect_in summary-params-grouped "$tmp/out" "| 11,684,712 |"
expect_in summary-params-grouped-small "$tmp/out" "| 1,248,424 |"
check gate-units 3 "$bin/sml-estimate" "$models/resnet18.onnx" --device a100 --region DE "${plan[@]}" --max-co2 1g --max-latency 1s --format markdown
expect_in gate-units-co2 "$tmp/out" "| co2 (kg) | 1.00e-03 | "
expect_in gate-units-latency "$tmp/out" "| latency (s) | "
finish
