#!/usr/bin/python3
"""Issue 13's pipeline promise, checked for every language, speech, time-series and multimodal entry:
`sml-describe "…" | sml-suggest | sml-compose --pick N` over one problem statement per task those
entries serve. For every candidate of those families that sml-suggest ranks (--top 200):

- it carries derived MACs and a training and a serving CO2e (train_scratch.co2e_kg,
  serving.co2e_kg): none is ranked without a cost (training costs 0 kg only where the plan trains
  on no samples: fill-mask and zero-shot models are used as they are, catalog/tasks typical_data);
- `sml-compose SUGGESTIONS --pick N` builds it (shape-only: `--weights zeros --external-data`, a
  sparse data file), and Debian's python3-onnx passes the written model through onnx.checker's full
  check (by path, as models past 2 GiB must be read) and strict shape inference.

Every entry of the four families must appear as a candidate of at least one statement. Prints one
line per build and a summary; exit 1 on any miss. ctest validation.pipeline_every_candidate (about
2 minutes on a loaded 2-core machine: 107 builds, the largest 13 B parameters, written as holes):
pipeline_every_candidate.py [BUILD-DIR] [SOURCE-DIR]
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import onnx
import yaml
from onnx import shape_inference

FAMILIES = ("language", "audio", "timeseries", "multimodal")
# One statement per task of those entries, each checked below to be read as that task.
STATEMENTS = {
    "audio-classification": "classify 10-second sound clips from our factory floor into 20 kinds of machine noise",
    "automatic-speech-recognition": "transcribe 2,000 hours of English call-centre recordings into text",
    "sentence-similarity": "embed 50k support articles into vectors for semantic search",
    "fill-mask": "continue pretraining BERT on 400k sentences of our legal contracts",
    "question-answering": "answer questions about our product manuals from a passage",
    "image-to-text": "write short captions for 30k product photos",
    "summarization": "summarize long news articles into three sentences",
    "text-classification": "route customer e-mails into 14 queues by topic",
    "text-generation": "a chatbot that writes replies to customer questions",
    "text-to-image": "generate marketing images from text prompts",
    "text-to-speech": "read our announcements aloud in English with a synthetic voice",
    "time-series-forecasting": "forecast hourly electricity demand for the next 24 hours from 3 years of meter data",
    "token-classification": "pick out person, company and place names in contracts",
    "translation": "translate product descriptions from English to German",
    "voice-activity-detection": "detect when someone is speaking in a microphone stream",
    "zero-shot-classification": "sort news headlines into labels we choose at run time without training examples",
}
# A task that reads one of several inputs has a statement per input: sml-describe narrows its
# modalities to the one named, and an image model (CLIP) is a candidate only for images.
MORE_STATEMENTS = [
    ("zero-shot-classification", "sort product photos into labels we choose at run time without training examples"),
]


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    src = sys.argv[2] if len(sys.argv) > 2 else "."
    tool = {t: os.path.join(build, "tools", "sml-" + t) for t in ("describe", "suggest", "compose")}
    entries = {}
    for fam in FAMILIES:
        for f in sorted(glob.glob(os.path.join(src, "catalog/models", fam, "*.yaml"))):
            m = yaml.safe_load(open(f))
            entries[m["id"]] = fam
    seen, built, misses = set(), {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for task, text in list(STATEMENTS.items()) + MORE_STATEMENTS:
            d = subprocess.run([tool["describe"], "--format", "json", text], capture_output=True, text=True, check=True).stdout
            got = json.loads(d)["task"]["id"]
            if got != task:
                misses.append(f"statement for {task} read as {got}")
                continue
            sugg = os.path.join(tmp, task + ".json")
            subprocess.run([tool["suggest"], "--top", "200", "--format", "json", "-o", sugg], input=d, text=True, check=True,
                           capture_output=True)
            doc = json.load(open(sugg))
            plan_samples = doc["plan"]["samples"]
            for c in doc["candidates"]:
                mid = c["model"]
                if mid not in entries:
                    continue
                seen.add(mid)
                costs = (c.get("macs"), (c.get("train_scratch") or {}).get("co2e_kg"), (c.get("serving") or {}).get("co2e_kg"))
                # A task used without training (fill-mask, zero-shot: typical_data samples 0) costs
                # 0 kg to train, a figure, not a missing one; with samples it must cost something.
                trains = plan_samples > 0
                if any(not isinstance(x, (int, float)) for x in costs) or costs[0] <= 0 or costs[2] <= 0 or (trains and costs[1] <= 0):
                    misses.append(f"{task}: {mid} (rank {c['rank']}) ranked without a cost: macs, training, serving CO2e = {costs}")
                key = (mid, json.dumps(c.get("composition"), sort_keys=True))
                if key in built:
                    continue
                out = os.path.join(tmp, "m.onnx")
                r = subprocess.run([tool["compose"], sugg, "--pick", str(c["rank"]), "--weights", "zeros", "--external-data", "-q", "-o", out],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    built[key] = False
                    misses.append(f"{task}: --pick {c['rank']} ({mid}) exit {r.returncode}: {r.stderr.strip()}")
                    continue
                try:
                    onnx.checker.check_model(out, full_check=True)
                    shape_inference.infer_shapes_path(out, out + ".inferred", check_type=True, strict_mode=True)
                    meta = {p.key: p.value for p in onnx.load(out, load_external_data=False).metadata_props}
                    built[key] = True
                    print(f"ok   {task}: --pick {c['rank']} {mid}: checked by python3-onnx; sml.pretrained {meta.get('sml.pretrained', '-')}")
                except Exception as e:  # the checker's and inference's own errors
                    built[key] = False
                    misses.append(f"{task}: --pick {c['rank']} ({mid}): python3-onnx: {str(e).splitlines()[0]}")
                for f in glob.glob(out + "*"):
                    os.remove(f)
    for mid in sorted(set(entries) - seen):
        misses.append(f"{mid} ({entries[mid]}) is no candidate of any statement")
    for m in misses:
        print("FAIL " + m)
    print(f"{len(seen)} of {len(entries)} entries ranked; {sum(built.values())} of {len(built)} distinct builds checked; {len(misses)} misses")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
