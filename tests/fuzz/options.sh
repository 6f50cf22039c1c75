# How each harness runs, sourced by tests/fuzz/run.sh and bench/fuzz_rates.sh so that what is
# measured is what is fuzzed. Speed levers (issue 20), none of which changes what is checked:
# - malloc_context_size=5: ASan records 5 frames of each allocation's stack instead of 30, which it
#   unwinds on every malloc and free (yaml-cpp allocates per node). Reports still give the access's
#   full stack and 5 frames of where the memory came from.
# - fuzz_import: symbolize=0. libonnx crashes in sml-compose's forked child on many inputs (the
#   harness goes on: the tool refuses the model); each such crash started llvm-symbolizer on the
#   whole binary to print a report nobody reads. A finding in the harness itself is re-run
#   symbolized by run.sh, so its report is as readable as before.
# - fuzz_onnx: -max_len=65536 and only seeds up to that size. The whole-network exports (swin_t
#   380 KB, fasterrcnn 256 KB, densenet121 234 KB …) cost tens of milliseconds an execution, and
#   mutating them took most of the time; the small exports, libonnx's one-node models and the
#   corpus kept in the repository reach the same readers and shape rules.
export ASAN_OPTIONS=${SML_FUZZ_ASAN_OPTIONS:-malloc_context_size=5}
fuzz_max_len() {  # TARGET: -max_len for it
  case $1 in onnx) echo 65536 ;; *) echo 1048576 ;; esac
}
fuzz_asan_options() {  # TARGET: ASAN_OPTIONS for it
  case $1 in import) echo "$ASAN_OPTIONS:symbolize=0" ;; *) echo "$ASAN_OPTIONS" ;; esac
}
