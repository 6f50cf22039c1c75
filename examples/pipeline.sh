#!/usr/bin/env bash
# The toolchain in a pipe: a problem in words -> a task -> suggestions -> a model built from the
# first suggestion the block library can build -> its footprint for a plan, gated the way a CI
# job would gate it. Run from the repository root after the build (README), or anywhere with the
# tools installed (SML_BIN names their folder; default build/tools when there, else PATH); writes
# into a temporary folder.
set -euo pipefail
bin=${SML_BIN:-$([ ! -x build/tools/sml-estimate ] || echo build/tools)}
bin=${bin:+$bin/}
out=$(mktemp -d)
problem="Count pallets on our warehouse shelves from fixed cameras at 15 fps on a Jetson Orin Nano"
"${bin}sml-describe" "$problem" | "${bin}sml-suggest" --top 3 --format markdown | tee "$out/suggestions.md"

problem="classify 20k photos of 12 weed species, must run on a Raspberry Pi 5 in 50 ms"
# The first suggestion: the cheapest good-enough model that fits (sml-suggest --rank); no temporary files.
"${bin}sml-describe" "$problem" | "${bin}sml-suggest" --top 5 | "${bin}sml-compose" --pick 1 -o "$out/weeds.onnx"
"${bin}sml-estimate" "$out/weeds.onnx" --device a100 --precision fp16 \
  --train-samples 20k --epochs 30 --region DE --max-co2 5kg \
  --format markdown | tee "$out/footprint.md"
echo "written to $out"
