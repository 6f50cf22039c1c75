#!/usr/bin/python3
"""Fetches the corpus files manifest.json lists as not shipped, each checked against its sha256,
into DIR (default $SML_CORPUS_DIR, else ~/.cache/sml-corpus). Without a network (as in CI, which
reaches only Debian and npm mirrors) it says what it skipped and exits 0; a file whose checksum
differs is deleted and the exit status is 1.

    fetch.py [DIR]
"""
import hashlib
import json
import os
import sys
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
dest = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SML_CORPUS_DIR", os.path.expanduser("~/.cache/sml-corpus"))
bad = 0
for entry in json.load(open(os.path.join(here, "manifest.json")))["files"]:
    if entry["shipped"]:
        continue
    path = os.path.join(dest, entry["file"])
    if os.path.exists(path) and hashlib.sha256(open(path, "rb").read()).hexdigest() == entry["sha256"]:
        print("have", entry["file"])
        continue
    try:
        data = urllib.request.urlopen(entry["url"], timeout=20).read()
    except Exception as e:  # no network, no DNS, a proxy refusing: skip, never fail the build
        print("skipped %s (%s)" % (entry["file"], e.__class__.__name__))
        continue
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        print("CHECKSUM MISMATCH %s: not kept" % entry["file"])
        bad = 1
        continue
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".part", "wb") as f:
        f.write(data)
    os.replace(path + ".part", path)
    print("fetched", entry["file"])
sys.exit(bad)
