#!/usr/bin/env bash
# Plays a user in their own project: a temporary folder outside the source tree, only the
# installed tools on PATH, the installed examples copied in. Runs the Makefile experiment with
# make -j2 (its Makefile includes the installed Makefile.inc through pkg-config), the describe →
# suggest → compose → estimate pipe, and the footprint gate as examples/ci's GitHub file runs it,
# within and over budget, checking the JUnit report.
#   user.sh --cmake-install BUILD_DIR   install into a temporary prefix first (ctest)
#   user.sh --installed [PREFIX]        the tools already installed, e.g. by dpkg -i (.ci/run; /usr)
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
tree_before=$(git -C "$root" status --porcelain --untracked-files=all 2>/dev/null)
case ${1:-} in
  --cmake-install)
    prefix=$tmp/prefix
    cmake --install "$2" --prefix "$prefix" --strip >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; } ;;
  --installed) prefix=${2:-/usr} ;;
  *) echo "usage: user.sh --cmake-install BUILD_DIR | --installed [PREFIX]"; exit 1 ;;
esac
pc=$(ls -d "$prefix"/lib/pkgconfig "$prefix"/lib/*/pkgconfig "$prefix"/share/pkgconfig 2>/dev/null | tr '\n' ':')
# Nothing of the source tree or a build on PATH; the system's own folders for make, bash, python3.
export PATH="$prefix/bin:/usr/local/bin:/usr/bin:/bin" PKG_CONFIG_PATH=$pc
unset SML_BIN SML_DATA_PATH SML_MAKEFILE
docs=$prefix/share/doc/sustainml/examples
home=$tmp/project
mkdir -p "$home"
cd "$home"
expect_eq tools-on-path "$(command -v sml-estimate)" "$prefix/bin/sml-estimate"
expect_eq pkg-config-makefile "$(realpath -m "$(pkg-config --variable=makefile sml)")" "$(realpath -m "$prefix/share/sml/Makefile.inc")"

# The Makefile experiment, copied as a user would copy it, run with make -j2.
cp -r "$docs/makefile-experiment" exp
check make-experiment 0 make -C exp -j2
expect_in report-resnet18 exp/footprint-report.md "| resnet18.estimate.yaml |"
expect_in report-kws exp/footprint-report.csv "kws.estimate.yaml,kws.onnx,"
expect_in accelsim-edge-npu exp/kws.accelsim.yaml "name: edge-npu"
expect_in weeds-suggestions exp/weeds.suggestions.md "Suggestions for \`image-classification\`"
# The tools it ran were the installed ones (Makefile.inc defaults SML_BIN to the bindir beside it).
check make-dry-run 0 make -C exp -n -B kws.estimate.yaml
expect_eq make-uses-installed "$(realpath -m "$(awk '/sml-estimate /{print $1; exit}' "$tmp/out")")" "$(realpath -m "$prefix/bin/sml-estimate")"

# The Makefile sml(7) shows, as written there (its one include line), beside a model and a composition.
mkdir -p mk7 && cp "$docs/makefile-experiment/models/resnet18.onnx" "$docs/makefile-experiment/kws.composition.yaml" mk7/
awk '/^\.SH/{e=($0 ~ /MAKEFILES/)} e && /^\.nf/{f=1; next} /^\.fi/{f=0} e && f' "$prefix/share/man/man7/sml.7" | sed 's/\\-/-/g' >mk7/Makefile
expect_in man-makefile-include mk7/Makefile "include \$(shell pkg-config --variable=makefile sml)"
check make-man-example 0 make -C mk7 -j2
expect_in man-example-report mk7/footprint-report.md "| kws.estimate.yaml |"

# The pipe, no temporary files but the model.
check pipe 0 bash -o pipefail -c 'sml-describe "classify 20k photos of 12 weed species, must run on a Raspberry Pi 5 in 50 ms" | sml-suggest --top 5 | sml-compose --pick 1 -q -o weeds.onnx && sml-estimate weeds.onnx --device a100 --train-samples 20k --epochs 30 --region DE --format markdown'
expect_in pipe-table "$tmp/out" "| training CO2e (kg) |"

# The footprint gate, run by the command of examples/ci/github-footprint.yml's "Footprint gate" step.
cp "$docs/ci/model.composition.yaml" .
gate=$(/usr/bin/python3 -c "
import yaml, sys
steps = yaml.safe_load(open(sys.argv[1]))['jobs']['footprint']['steps']
print(next(s['run'] for s in steps if s.get('name') == 'Footprint gate'))" "$docs/ci/github-footprint.yml")
gate=${gate//\/usr\/share\/sml/$prefix/share/sml}
junit_failures() {  # the failures attribute of the JUnit report, and its test case count
  /usr/bin/python3 -c "
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot()
s = s if s.tag == 'testsuite' else s.find('testsuite')
print(s.get('failures'), len(s.findall('testcase')))" "$1"
}
check gate-within 0 env SML_MAX_CO2=50kg SML_MAX_LATENCY=20ms SML_REGION=DE bash -c "$gate"
expect_in gate-within-table footprint/footprint.md "| passed |"
expect_eq gate-within-junit "$(junit_failures footprint/footprint-junit.xml)" "0 2"
check gate-over 3 env SML_MAX_CO2=10g SML_MAX_LATENCY=20ms SML_REGION=DE bash -c "$gate"
expect_in gate-over-says "$tmp/out" "OVER BUDGET"
expect_in gate-over-table footprint/footprint.md "**failed**"
expect_eq gate-over-junit "$(junit_failures footprint/footprint-junit.xml)" "1 2"

# The man pages are found the way man finds them for a prefix.
check man-sml7 0 man -M "$prefix/share/man" -P cat 7 sml
expect_in man-include-line "$tmp/out" "pkg-config --variable=makefile sml"
# Nothing was written into the source tree.
expect_eq source-tree-untouched "$(git -C "$root" status --porcelain --untracked-files=all 2>/dev/null)" "$tree_before"
finish
