#!/usr/bin/env bash
# The toolchain in a pipe: a problem in words -> a task -> suggestions; and the footprint of a
# model for a plan, gated the way a CI job would gate it. Run from the repository root after the
# build (README); writes into a temporary folder.
set -euo pipefail
bin=${SML_BIN:-build/tools}
out=$(mktemp -d)
"$bin/sml-describe" "Count pallets on our warehouse shelves from fixed cameras at 15 fps on a Jetson Orin Nano" \
  | "$bin/sml-suggest" --top 3 --format markdown | tee "$out/suggestions.md"
"$bin/sml-estimate" tests/models/mobilenet_v3_large.onnx --device orin-nano --precision fp32 \
  --queries-per-day 1.3M --years 3 --region DE --max-co2 500kg --format markdown | tee "$out/footprint.md"
echo "written to $out"
