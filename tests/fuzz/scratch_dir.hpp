// A scratch folder for the harnesses whose readers take a path (fuzz_yaml, fuzz_import): they write
// each input to a file there. On tmpfs (/dev/shm) where there is one: on ext4, rewriting a file
// with O_TRUNC for every input started its writeback to disk each time (ext4's auto_da_alloc), a
// system call and disk traffic per execution that the readers under test never see. Files,
// symlinks and FIFOs behave alike on both.
#pragma once
#include <cstdlib>
#include <string>
#include <unistd.h>

// A new folder NAME-XXXXXX under /dev/shm, else /tmp.
inline std::string make_scratch_dir(const std::string& name) {
  for (const char* root : {"/dev/shm", "/tmp"}) {
    if (::access(root, W_OK) != 0) continue;
    std::string tmpl = std::string(root) + "/" + name + "-XXXXXX";
    if (::mkdtemp(tmpl.data())) return tmpl;
  }
  return "/tmp";
}
