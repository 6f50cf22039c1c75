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
fuzz_max_len() {  # TARGET: -max_len for it
  case $1 in *) echo 1048576 ;; esac
}
fuzz_asan_options() {  # TARGET: ASAN_OPTIONS for it
  case $1 in import) echo "$ASAN_OPTIONS:symbolize=0" ;; *) echo "$ASAN_OPTIONS" ;; esac
}
