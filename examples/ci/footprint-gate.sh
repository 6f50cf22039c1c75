#!/usr/bin/env bash
# A CI footprint gate: build the model from its composition, estimate its training and serving
# footprint for the team's plan, and fail the job (exit 3) when it is over budget. Writes
# footprint.md (the table to post on the merge request) and footprint-junit.xml (one test case per
# gate, which GitHub/GitLab show as tests). Used by github-footprint.yml and gitlab-footprint.yml.
#
#   bash /usr/share/sml/footprint-gate.sh COMPOSITION.yaml [OUT_DIR]   (installed)
#   SML_BIN=build/tools bash examples/ci/footprint-gate.sh COMPOSITION.yaml [OUT_DIR]   (a build tree)
# Budgets and plan come from the environment, so a pipeline sets them in one place:
#   SML_MAX_CO2 (default 50kg), SML_MAX_LATENCY (default 20ms), SML_DEVICE, SML_REGION,
#   SML_TRAIN_SAMPLES, SML_EPOCHS, SML_QUERIES_PER_DAY, SML_YEARS, SML_RUNTIME (default tensorrt),
#   SML_SERVE_BATCH (default 8); SML_BIN (the tools' folder; default: the installed tools on PATH)
set -uo pipefail
composition=${1:?usage: footprint-gate.sh COMPOSITION.yaml [OUT_DIR]}
out=${2:-.}
bin=${SML_BIN:+$SML_BIN/}
mkdir -p "$out"
"${bin}sml-compose" "$composition" -q -o "$out/model.onnx" || exit $?
"${bin}sml-estimate" "$out/model.onnx" \
  --device "${SML_DEVICE:-a100}" --precision fp16 --region "${SML_REGION:-DE}" \
  --train-samples "${SML_TRAIN_SAMPLES:-1.28M}" --epochs "${SML_EPOCHS:-30}" \
  --queries-per-day "${SML_QUERIES_PER_DAY:-1M}" --years "${SML_YEARS:-1}" \
  --runtime "${SML_RUNTIME:-tensorrt}" --serve-batch "${SML_SERVE_BATCH:-8}" \
  --max-co2 "${SML_MAX_CO2:-50kg}" --max-latency "${SML_MAX_LATENCY:-20ms}" \
  --junit "$out/footprint-junit.xml" --format markdown -o "$out/footprint.md"
status=$?
case $status in
  0) echo "footprint gate: within budget" ;;
  3) echo "footprint gate: OVER BUDGET (see footprint.md)" ;;
  *) echo "footprint gate: the estimate failed (exit $status)" ;;
esac
exit $status
