// What happens in libonnx's child processes (lib/compose/libonnx_child.cpp), for a caller that
// wants to know of a crash there beyond the refusal: the fuzz harness fuzz_import.
#pragma once
#include <string>

namespace sml::compose {

// Called, where set, each time a libonnx child crashes (a signal, or a sanitizer's exit status),
// with the refusal's message just before it is thrown (the refusal is the same either way).
// fuzz_import saves the input that did it: the fork server's worker (start_libonnx_server) is no
// fork of the libFuzzer process, so libFuzzer's crash handler never runs there and writes no
// reproducer of its own. nullptr (the default): none.
using LibonnxCrashObserver = void (*)(const std::string& message);
void set_libonnx_crash_observer(LibonnxCrashObserver observer);

}  // namespace sml::compose
