#!/usr/bin/env bash
# The real-world corpus (issue 18): every third-party file in tests/models/thirdparty (and those
# fetch.py put in $SML_CORPUS_DIR, when there are any) is profiled at its documented input shapes;
# plus the scalar inputs it documents (--input-value, e.g. Silero's sr), with full coverage;
# sml-accelsim simulates exactly the profile's MACs; sml-describe names at least three segments,
# with the shapes and without them, and reads the modality the manifest states; sml-compose imports
# every classifier among them and resizes its head.
set -u
. "$(dirname "$0")/lib.sh"
tools=$1
corpus=$2
/usr/bin/python3 - "$corpus" "${SML_CORPUS_DIR:-}" >"$tmp/list" <<'PY'
import json, os, sys
corpus, extra = sys.argv[1], sys.argv[2]
for e in json.load(open(os.path.join(corpus, "manifest.json")))["files"]:
    path = os.path.join(corpus if e["shipped"] else extra, e["file"])
    if (e["shipped"] or extra) and os.path.exists(path):
        shapes = " ".join("--input-shape %s=%s" % kv for kv in sorted(e["inputs"].items()))
        values = " ".join("--input-value %s=%s" % kv for kv in sorted(e.get("values", {}).items()))
        print("%s|%s|%s|%s|%s" % (path, (shapes + " " + values).strip(), e["modality"], shapes, e.get("classes", "")))
PY
expect_true corpus-has-files [ "$(grep -c . "$tmp/list")" -ge 3 ]
while IFS='|' read -r file shapes modality shapes_only classes; do
  n=$(basename "$file" .onnx)
  # shellcheck disable=SC2086
  check "$n-estimate" 0 "$tools/sml-estimate" "$file" $shapes --no-layers --format json -o "$tmp/e.json"
  # shellcheck disable=SC2086
  check "$n-accelsim" 0 "$tools/sml-accelsim" -q "$file" $shapes --format json -o "$tmp/a.json"
  check "$n-simulated-is-profiled" 0 /usr/bin/python3 -c '
import json, sys
e, a = json.load(open(sys.argv[1]))["profile"]["total"], json.load(open(sys.argv[2]))["total"]
assert e["macs"] > 0 and a["macs"] == e["macs"] == a["profiled_macs"] and a["coverage"] == 1, (e["macs"], a)
c = json.load(open(sys.argv[1]))["profile"]["coverage"]
assert c["complete"] is True and c["nodes_counted"] == c["nodes_total"] and not c["assumed_branches"], c' "$tmp/e.json" "$tmp/a.json"
  if [ "$shapes" != "$shapes_only" ]; then
    # Without its documented scalar values (Silero's sr) an If is counted both ways: marked partial.
    # shellcheck disable=SC2086
    check "$n-estimate-without-values" 0 "$tools/sml-estimate" "$file" $shapes_only --no-layers --format json -o "$tmp/e0.json"
    check "$n-without-values-is-partial" 0 /usr/bin/python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["profile"]["coverage"]
assert c["complete"] is False and c["assumed_branches"], c' "$tmp/e0.json"
  fi
  # shellcheck disable=SC2086
  for mode in shaped unshaped; do
    if [ $mode = shaped ]; then args=$shapes; else args=; fi
    # shellcheck disable=SC2086
    check "$n-describe-$mode" 0 "$tools/sml-describe" "$file" $args --format json -o "$tmp/d.json"
    check "$n-describe-$mode-segments" 0 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = [s["name"] for s in d["segments"]]
assert len(names) >= 3 and "body" not in names, names
assert d["modality"] == sys.argv[2], (d["modality"], d["modality_evidence"])
if sys.argv[2] != "image":
    assert not any("pixel" in s["explanation"] for s in d["segments"]), "an audio model explained as pixels"
if sys.argv[3] == "values":  # --input-value chose the If branch: no alternative, the segments add up to the profile
    assert "alternative" not in names, names
    total = json.load(open(sys.argv[4]))["profile"]["total"]["macs"]
    assert sum(s["macs"] for s in d["segments"]) == total, ([s["macs"] for s in d["segments"]], total)
' "$tmp/d.json" "$modality" "$([ "$mode" = shaped ] && [ "$shapes" != "$shapes_only" ] && echo values)" "$tmp/e.json"
  done
  # A classifier among them (the manifest gives its class count): imported, its head found and
  # resized to one class more, the written model checked by python3-onnx.
  if [ -n "$classes" ]; then
    check "$n-import-swap-head" 0 "$tools/sml-compose" --import "$file" --num-classes $((classes + 1)) -o "$tmp/swap.onnx"
    check "$n-import-swap-head-checked" 0 /usr/bin/python3 -c '
import onnx, sys
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
dims = [d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim]
assert dims[-1] == int(sys.argv[2]), dims' "$tmp/swap.onnx" $((classes + 1))
  fi
done <"$tmp/list"
# The project's own exports (tests/models): at least three named segments each, images or tokens.
for file in "$corpus"/../*.onnx; do
  n=$(basename "$file" .onnx)
  "$tools/sml-describe" "$file" --format json >"$tmp/d.json" 2>/dev/null
  check "own-$n-describe" 0 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["segments"]) >= 3, [s["name"] for s in d["segments"]]
assert d["modality"] in ("image", "tokens"), d["modality"]' "$tmp/d.json"
done
finish
