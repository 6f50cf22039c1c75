# How each harness runs, sourced by tests/fuzz/run.sh and bench/fuzz_rates.sh so that what is
# measured is what is fuzzed. Speed levers (issue 20), none of which changes what is checked:
# - malloc_context_size=5: ASan records 5 frames of each allocation's stack instead of 30, which it
#   unwinds on every malloc and free (yaml-cpp allocates per node). Reports still give the access's
#   full stack and 5 frames of where the memory came from.
# - fuzz_import: symbolize=0. libonnx crashes in sml-compose's forked child on many inputs (the
#   harness goes on: the tool refuses the model); each such crash started llvm-symbolizer on the
#   whole binary to print a report nobody reads. A finding in the harness itself is re-run
#   symbolized by run.sh, so its report is as readable as before.
# Not done: capping fuzz_onnx at 64 KiB seeds. It ran 3x as many executions, but the whole-network
# exports it drops (swin_t, fasterrcnn, densenet121, convnext, vit, efficientnet, the seq2seq
# transformer, deeplabv3; 71-380 KB) reach code nothing smaller does: the seed corpus covered 4284
# edges with them, 3884 without (fuzz_onnx -runs=0, 2026-12-05). Smaller exports of those
# architectures would make the cap possible.
export ASAN_OPTIONS=${SML_FUZZ_ASAN_OPTIONS:-malloc_context_size=5}
# -max_len (2026-12-06, s29): a little above each harness's largest seed, so every seed is read whole
# but mutations cannot grow units towards 1 MiB. In long runs the working corpus filled with such
# units (onnx's reached 57 MB; its rate fell from ~1900 to ~87 exec/s between short and 40-minute
# runs), each parsed in full on every mutation. onnx: swin_t.onnx, 370 KiB; import: the malformed
# import-mutated-op.onnx, 70 KiB; yaml: 2.5 KiB seeds, 64 KiB still holds deep nesting and alias
# bombs far past the readers' limits. describe, units, scalesim keep 1 MiB (their units stay small).
# The cap does not stop onnx's working corpus filling with mutants of the whole-network seeds: a
# 360 s run (s29, nice 19) went from 2.6 MB to 59 MB (876 units) at 397 exec/s on average; long runs
# are better made as several runs of a few minutes (run.sh starts each from the seeds and the kept
# corpus of files up to 16 KiB).
fuzz_max_len() {  # TARGET: -max_len for it
  case $1 in
    onnx) echo 393216 ;;
    import) echo 131072 ;;
    yaml) echo 65536 ;;
    *) echo 1048576 ;;
  esac
}
# LD_BIND_NOW (2026-12-07, s36): fuzz_import's libonnx worker (lib/compose/libonnx_child.cpp) is a
# new process after every libonnx crash, and each resolved libonnx's, protobuf's and libstdc++'s
# symbols again, lazily, on first call (ld.so's do_lookup_x, _dl_fixup: 12% of the children's
# samples when every model had a fresh child). Bound once at start instead; the same code runs.
fuzz_bind_now() {  # TARGET: LD_BIND_NOW for it ("" = lazy, as ld.so does by default)
  case $1 in import) echo 1 ;; *) echo "" ;; esac
}
fuzz_asan_options() {  # TARGET: ASAN_OPTIONS for it
  case $1 in import) echo "$ASAN_OPTIONS:symbolize=0" ;; *) echo "$ASAN_OPTIONS" ;; esac
}
