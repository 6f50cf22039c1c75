#!/usr/bin/env bash
# The shipped examples run, and say what they should: the pipeline script and the Makefile
# experiment (run with make -j2 in a copy of its folder, so the source tree stays clean).
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi; }
(cd "$root" && SML_BIN=$bin bash examples/pipeline.sh) >"$tmp/pipeline.out" 2>&1
ok grep -q "### Suggestions for \`object-detection\`" "$tmp/pipeline.out"
# 12 classes: torchvision's RegNetY-400MF 4,344,144 − 440·988 − 988 = 3,908,436. Served under
# TFLite, the Pi's usual runtime (hw/devices runtime:). Since the Pi's memory-bound layers are costed
# at its LPDDR4X rate x the TFLite CPU share (7 Dec), EfficientNet-B1/B2 pass the 50 ms budget no
# more, EfficientNet-B0 sets the best top-1 and RegNetY-400MF is the cheapest within tolerance of it
# (RegNetY-800MF came first before: 5,656,932 parameters).
ok grep -q "built regnet_y_400mf (width 1, depth 1): 3,908,436 parameters" "$tmp/pipeline.out"
ok grep -q "| parameters | 3,908,436 |" "$tmp/pipeline.out"
ok grep -q "| co2 (kg) | 5\.0* |" "$tmp/pipeline.out"  # a gate row shows its unit
# The CI gate: within budget it passes; over budget it exits 3 and still writes the table and the
# JUnit report with the failing gate; the GitHub and GitLab files are valid YAML that call it.
(cd "$root" && SML_BIN=$bin bash examples/ci/footprint-gate.sh examples/ci/model.composition.yaml "$tmp/gate") >"$tmp/gate.out" 2>&1
ok test $? = 0
ok grep -q "| co2 (kg) | 50\.0* | .* | passed |" "$tmp/gate/footprint.md"
ok grep -q '<testsuite name="sml-estimate" tests="2" failures="0">' "$tmp/gate/footprint-junit.xml"
(cd "$root" && SML_BIN=$bin SML_MAX_CO2=10g bash examples/ci/footprint-gate.sh examples/ci/model.composition.yaml "$tmp/over") >"$tmp/over.out" 2>&1
ok test $? = 3
ok grep -q "OVER BUDGET" "$tmp/over.out"
ok grep -q "| co2 (kg) | 0\.010* | .* | \*\*failed\*\* |" "$tmp/over/footprint.md"
ok grep -q '<failure message="co2 ' "$tmp/over/footprint-junit.xml"
ok /usr/bin/python3 -c "
import yaml, sys
gh = yaml.safe_load(open('$root/examples/ci/github-footprint.yml'))
gl = yaml.safe_load(open('$root/examples/ci/gitlab-footprint.yml'))
steps = gh['jobs']['footprint']['steps']
assert any('footprint-gate.sh' in s.get('run', '') for s in steps)
assert any('GITHUB_STEP_SUMMARY' in s.get('run', '') for s in steps)
assert any('footprint-gate.sh' in line for line in gl['footprint']['script'])
assert gl['footprint']['artifacts']['reports']['junit'] == 'footprint/footprint-junit.xml'
# In a user's project: the installed gate in the SustainML image, never our source tree or a build.
runs = [s.get('run', '') for s in steps] + gl['footprint']['script']
assert not any('cmake' in r or 'examples/' in r or 'build/' in r for r in runs), runs
assert gh['jobs']['footprint']['container'] == '\${{ vars.SUSTAINML_IMAGE }}'
assert gl['footprint']['image'] == '\$SUSTAINML_IMAGE'
"
mkdir -p "$tmp/exp/examples" && cp -r "$root/examples/makefile-experiment" "$tmp/exp/examples/"
ln -s "$root/tests" "$tmp/exp/tests"
cp "$root/Makefile.inc" "$tmp/exp/"
make -C "$tmp/exp/examples/makefile-experiment" -j2 SML_BIN="$bin" SML_MAKEFILE="$tmp/exp/Makefile.inc" >"$tmp/make.out" 2>&1
ok test $? = 0
ok grep -q "^| resnet18.estimate.yaml |" "$tmp/exp/examples/makefile-experiment/footprint-report.md"
ok grep -q "^mobilenet_v2.estimate.yaml,mobilenet_v2.onnx," "$tmp/exp/examples/makefile-experiment/footprint-report.csv"
ok grep -q "^kws.estimate.yaml,kws.onnx," "$tmp/exp/examples/makefile-experiment/footprint-report.csv"
ok test -s "$tmp/exp/examples/makefile-experiment/kws.onnx"  # kept, though make reached it through a chain
ok grep -q "^sml: accelsim/v1" "$tmp/exp/examples/makefile-experiment/kws.accelsim.yaml"
ok grep -q "name: edge-npu" "$tmp/exp/examples/makefile-experiment/kws.accelsim.yaml"
ok grep -q "Suggestions for \`image-classification\`" "$tmp/exp/examples/makefile-experiment/weeds.suggestions.md"
ok grep -q "Suggestions for \`automatic-speech-recognition\`" "$tmp/exp/examples/makefile-experiment/calls.suggestions.md"
# Make knows what is done: after touching one problem text, only its suggestions are remade.
touch "$tmp/exp/examples/makefile-experiment/calls.txt"
make -C "$tmp/exp/examples/makefile-experiment" -n SML_BIN="$bin" SML_MAKEFILE="$tmp/exp/Makefile.inc" all >"$tmp/again.out" 2>&1
ok grep -q "calls" "$tmp/again.out"
ok test "$(grep -c 'weeds' "$tmp/again.out")" = 0
# The HPC sweep split with make -j (the Slurm run is tests/cli/slurm.sh): the merged shards equal
# the whole sweep.
cp -r "$root/examples/hpc" "$tmp/hpc"
make -C "$tmp/hpc" -j4 SML_BIN="$bin" SML_MODEL="$root/tests/models/resnet50.onnx" >"$tmp/hpc.out" 2>&1
ok test $? = 0
read -r -a axes <"$root/examples/hpc/sweep.axes"
"$bin/sml-accelsim" "$root/tests/models/resnet50.onnx" "${axes[@]}" -q -o "$tmp/whole.yaml"
ok diff <(grep -v '^generator' "$tmp/hpc/sweep.yaml") <(grep -v '^generator' "$tmp/whole.yaml")
ok grep -q "points_total: 90" "$tmp/hpc/sweep.yaml"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
