#!/usr/bin/env bash
# --plot FILE.svg of sml-estimate, sml-suggest and sml-accelsim: parsed as XML (Python's
# xml.etree, an independent reader), its bars and points checked against the document the same
# run wrote; rendered with rsvg-convert where it is installed (CI installs it).
set -u
. "$(dirname "$0")/lib.sh"
tools=$1
models=$2
check estimate-plot 0 "$tools/sml-estimate" "$models/resnet18.onnx" --device a100 --train-samples 10k \
  --compare devices=a100,t4 --compare regions=DE,FR --plot "$tmp/estimate.svg" -o "$tmp/estimate.yaml"
check suggest-plot 0 bash -c "\"$tools/sml-describe\" 'classify photos of 12 weed species' | \"$tools/sml-suggest\" --top 30 --samples 20k --plot \"$tmp/suggest.svg\" -o \"$tmp/suggest.yaml\""
check accelsim-plot 0 "$tools/sml-accelsim" "$models/resnet18.onnx" --plot "$tmp/accelsim.svg" -o "$tmp/accelsim.yaml"
check sweep-plot 0 "$tools/sml-accelsim" "$models/resnet18.onnx" --sweep array=16x16,64x64 --sweep dataflow=os,ws,is --plot "$tmp/sweep.svg" -o "$tmp/sweep.yaml"
check plot-bad-path 2 "$tools/sml-accelsim" "$models/resnet18.onnx" --plot /nonexistent/dir/x.svg -o "$tmp/unused.yaml"
check parse 0 /usr/bin/python3 - "$tmp" <<'PY'
import sys, yaml
import xml.etree.ElementTree as ET
tmp = sys.argv[1]
NS = "{http://www.w3.org/2000/svg}"
def groups(path):
    root = ET.parse(path).getroot()
    assert root.tag == NS + "svg", root.tag
    return root.findall(NS + "g")
def bars(group):
    return [(r.find(NS + "title").text, float(r.get("width"))) for r in group.iter(NS + "rect") if r.get("class") == "bar"]

est = yaml.safe_load(open(tmp + "/estimate.yaml"))
g = groups(tmp + "/estimate.svg")
assert len(g) == 2, len(g)
layer_bars = bars(g[0])
counted = [l for l in est["profile"]["layers"] if l["flops"] > 0]
assert len(layer_bars) == 26 and len(counted) > 25, (len(layer_bars), len(counted))  # 25 largest + "other (N)"
assert layer_bars[-1][0].startswith("other (%d)" % (len(counted) - 25)), layer_bars[-1]
top = max(counted, key=lambda l: l["flops"])
assert layer_bars[0][0].startswith(top["name"]), (layer_bars[0], top["name"])
assert max(w for _, w in layer_bars) == layer_bars[0][1]  # the longest bar is the costliest layer
whatif = bars(g[1])
assert len(whatif) == len(est["compare"]) == 4
assert [w for _, w in whatif] == sorted(w for _, w in whatif)  # sorted by CO2e

sug = yaml.safe_load(open(tmp + "/suggest.yaml"))
points = [c for c in ET.parse(tmp + "/suggest.svg").getroot().iter(NS + "circle")]
front = [p for p in points if "on-front" in p.get("class")]
metric = sug["candidates"][0]["quality"]["metric"]
plotted = [c for c in sug["candidates"] if c.get("quality") and c["quality"]["metric"] == metric and not c.get("transfer")]
assert len(points) == len(plotted), (len(points), len(plotted))
assert len(front) == sum(1 for c in plotted if c["pareto"]), len(front)

acc = yaml.safe_load(open(tmp + "/accelsim.yaml"))
ab = bars(groups(tmp + "/accelsim.svg")[0])
assert len(ab) == min(26, len(acc["layers"])), len(ab)
sw = yaml.safe_load(open(tmp + "/sweep.yaml"))["points"]
circles = list(ET.parse(tmp + "/sweep.svg").getroot().iter(NS + "circle"))
assert len(circles) == len(sw) == 6, len(circles)
assert sum("on-front" in c.get("class") for c in circles) == sum(p["pareto"] for p in sw)
assert not list(ET.parse(tmp + "/sweep.svg").getroot().iter(NS + "polyline"))  # a 4-objective front is not drawn as a line
print("svg ok")
PY
expect_in parse-ok "$tmp/out" "svg ok"
if command -v rsvg-convert >/dev/null; then
  for f in estimate suggest accelsim sweep; do check "render-$f" 0 rsvg-convert -o "$tmp/$f.png" "$tmp/$f.svg"; done
else
  echo "rsvg-convert not installed: rendering skipped (CI installs librsvg2-bin)"
fi
finish
