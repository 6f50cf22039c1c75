// A scratch folder for the harnesses whose readers take a path (fuzz_yaml, fuzz_import): they write
// each input to a file there. On tmpfs (/dev/shm) where there is one: on ext4, rewriting a file
// with O_TRUNC for every input started its writeback to disk each time (ext4's auto_da_alloc), a
// system call and disk traffic per execution that the readers under test never see. Files,
// symlinks and FIFOs behave alike on both.
// The folder is removed when the process ends, however it ends (remove_when_process_ends): each
// run made one, and until 7 Dec none was removed, so /dev/shm filled with them.
#pragma once
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

// Removes DIR and everything in it once this process has ended, whatever ended it. libFuzzer
// leaves by _Exit on a crash, a timeout, an out-of-memory or the RSS limit, where no atexit
// handler or destructor runs, and a SIGKILL runs nothing at all; so a small process forked now
// waits on a pipe whose write end only this process (and its forks) holds: the kernel closes it
// when they end, however they end, and the reader then removes DIR. It runs in a session of its
// own, so a signal to the harness's process group (Ctrl-C, a timeout's kill) does not end it first,
// and holds no descriptor but its end of the pipe (nobody waiting for an output's end waits on it).
inline void remove_when_process_ends(const std::string& dir) {
  const char* path = dir.c_str();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;  // not inherited by a program the harness runs
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid == 0) {
    ::setsid();
    ::signal(SIGHUP, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGTERM, SIG_IGN);
    const long most = ::sysconf(_SC_OPEN_MAX);
    for (int fd = 0; fd < (most > 0 && most < 65536 ? most : 65536); ++fd)
      if (fd != fds[0]) ::close(fd);
    char c;
    ssize_t n;
    do n = ::read(fds[0], &c, 1);
    while (n > 0 || (n < 0 && errno == EINTR));
    // rm -rf removes symlinks, never what they point to. Exec'd, not std::filesystem: a fork of a
    // process with threads (libFuzzer's) must not allocate before it execs.
    ::execl("/bin/rm", "rm", "-rf", "--", path, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);  // the write end stays open, unwritten, until this process ends
}

// A new folder NAME-XXXXXX under $SML_FUZZ_SCRATCH_ROOT (tests), else /dev/shm, else /tmp; removed
// when the process ends.
inline std::string make_scratch_dir(const std::string& name) {
  const char* given = std::getenv("SML_FUZZ_SCRATCH_ROOT");
  for (const char* root : {given ? given : "", "/dev/shm", "/tmp"}) {
    if (!*root || ::access(root, W_OK) != 0) continue;
    std::string tmpl = std::string(root) + "/" + name + "-XXXXXX";
    if (::mkdtemp(tmpl.data())) {
      remove_when_process_ends(tmpl);
      return tmpl;
    }
  }
  return "/tmp";
}
