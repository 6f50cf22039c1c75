// libonnx (shape inference, the checker) runs in a child process: a crash in it on a hostile model
// (issue 20: SIGFPE on zero strides, SIGSEGV on a mutated op type) is a refused model, not a dead
// tool. Every call runs in another process, either
// - a child forked from the caller for that call (sml-compose: one or two calls a run), the child
//   inheriting the model, or
// - the worker of a fork server: a process forked once, early, while the caller was small
//   (start_libonnx_server), which forks a worker and hands it each model through a pipe. fuzz_import
//   checks thousands of models a minute in an ASan process of ~700 MB; fork() of that process
//   (copying its page tables, then copy-on-write faults in both) was most of an input's cost, and
//   a fresh child of the small server for each model was still most of it (server_main). The
//   worker runs model after model until libonnx crashes it; the next model gets a new worker. A
//   crash of a worker that had run other models first is asked again of a fresh worker, so that
//   damage one model left is never another model's refusal.
// Either way the other process runs the same steps on the same bytes and answers the same way, so
// a crash is contained as before and the caller sees the same errors.
#include <onnx/defs/schema.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "onnx_impl.hpp"
#include "sml/compose/libonnx_child.hpp"
#include "sml/io/error.hpp"

namespace sml::compose {

namespace {

// libonnx's messages run over several lines ("==> Context: …"): one line, spaces collapsed.
std::string collapse(const std::string& text) {
  std::string o;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (!o.empty() && o.back() != ' ') o += ' ';
    } else {
      o += c;
    }
  }
  while (!o.empty() && o.back() == ' ') o.pop_back();
  return o;
}

bool read_fd_all(int fd, std::string& out) {
  char block[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(block, static_cast<std::size_t>(n));
  }
}

// Exactly SIZE bytes from FD; false at end of file or on an error.
bool read_exact(int fd, void* to, std::size_t size) {
  auto* p = static_cast<char*>(to);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// All of BYTES to a socket; false when the other end is gone (no SIGPIPE).
bool send_all(int fd, const char* bytes, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, bytes, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// libonnx builds its table of operator schemas on first use (every opset of every op: ~40 ms,
// more under ASan). Built in the process that forks, once, every child inherits it; built in the
// child, each child built it again and threw it away. It reads no input, so it cannot crash on a
// hostile model.
void build_schemas() {
  static const bool built = onnx::OpSchemaRegistry::Schema("Identity", 1, "") != nullptr;
  (void)built;
}

// One model's work in a child (or the server's worker): sends one 's' as each step starts (which
// step a crash or a refusal happened in), then 'o' and the model (weights left out: inference does
// not change them) or 'e' and libonnx's message. Returns once the reply is written.
void child_work(onnx::ModelProto& p, const std::vector<LibonnxRun>& steps, bool take_back, const std::vector<int>& placeholders,
                int reply_fd) {
  auto send = [&](const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(reply_fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ::_exit(3);
      done += static_cast<std::size_t>(n);
    }
  };
  // What libonnx (or a sanitizer's crash report, in a sanitized build) prints is not for the
  // user: the parent reports in one line what happened.
  if (const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC); devnull >= 0) ::dup2(devnull, STDERR_FILENO);
  std::string reply;
  try {
    auto& inits = *p.mutable_graph()->mutable_initializer();
    for (const int i : placeholders)
      if (i >= 0 && i < inits.size()) inits[i].set_raw_data(std::string(1, '\0'));
    for (const auto step : steps) {
      send("s");
      step(p);
    }
    reply = "o";
    if (take_back) {
      for (auto& t : *p.mutable_graph()->mutable_initializer()) t.clear_raw_data();
      if (!p.AppendToString(&reply)) reply = "eserialising the inferred model failed";
    }
  } catch (const std::exception& e) {
    reply = std::string("e") + e.what();
  } catch (...) {
    reply = "elibonnx threw an unknown exception";
  }
  send(reply);
}

// A child forked for one model: its work, then gone.
[[noreturn]] void child_main(onnx::ModelProto& p, const std::vector<LibonnxRun>& steps, bool take_back, const std::vector<int>& placeholders,
                             int reply_fd) {
  child_work(p, steps, take_back, placeholders, reply_fd);
  ::_exit(0);
}

// A request to the fork server: this header, the steps (function addresses: the server is a fork
// of this program, so they are the same there), the placeholders, then the serialized model. The
// pipe the child answers on travels with the header (SCM_RIGHTS).
struct RequestHeader {
  std::uint32_t steps = 0;
  std::uint32_t placeholders = 0;
  std::uint64_t model_bytes = 0;
  std::uint8_t take_back = 0;
};

// A request's header as one message, with room for one descriptor beside it.
struct HeaderMessage {
  RequestHeader h;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  iovec iov{&h, sizeof h};
  msghdr msg{};
  HeaderMessage() {
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
  }
  HeaderMessage(const HeaderMessage&) = delete;
  HeaderMessage& operator=(const HeaderMessage&) = delete;
};

// One request from SOCK (header, the reply pipe's descriptor, steps, placeholders, model bytes);
// false at end of file or when it is incomplete.
bool receive_request(int sock, RequestHeader& h, int& reply_fd, std::vector<LibonnxRun>& steps, std::vector<int>& placeholders,
                     std::string& bytes) {
  HeaderMessage m;
  ssize_t n;
  do n = ::recvmsg(sock, &m.msg, MSG_WAITALL);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof m.h)) return false;
  const cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) ::_exit(4);
  std::memcpy(&reply_fd, CMSG_DATA(c), sizeof reply_fd);
  h = m.h;
  steps.assign(h.steps, nullptr);
  placeholders.assign(h.placeholders, 0);
  bytes.assign(h.model_bytes, '\0');
  return read_exact(sock, steps.data(), steps.size() * sizeof(LibonnxRun)) &&
         read_exact(sock, placeholders.data(), placeholders.size() * sizeof(int)) && read_exact(sock, bytes.data(), bytes.size());
}

// The same request sent on to SOCK, REPLY_FD with it; false when the other end is gone.
bool send_request(int sock, const RequestHeader& header, int reply_fd, const std::vector<LibonnxRun>& steps,
                  const std::vector<int>& placeholders, const std::string& bytes) {
  HeaderMessage m;
  m.h = header;
  cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &reply_fd, sizeof(int));
  ssize_t n;
  do n = ::sendmsg(sock, &m.msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof m.h) &&
         send_all(sock, reinterpret_cast<const char*>(steps.data()), steps.size() * sizeof(LibonnxRun)) &&
         send_all(sock, reinterpret_cast<const char*>(placeholders.data()), placeholders.size() * sizeof(int)) &&
         send_all(sock, bytes.data(), bytes.size());
}

// The server's worker: the models it is sent, one at a time, each as a fresh child would run it
// (the same steps on the same bytes, the same reply), then one 'd' on SOCK. A crash ends it (the
// server reports how, as it would a child's); so does the end of SOCK. Bytes that do not parse
// end it with status 5, as they ended a fresh child.
[[noreturn]] void worker_main(int sock) {
  RequestHeader h;
  int reply_fd = -1;
  std::vector<LibonnxRun> steps;
  std::vector<int> placeholders;
  std::string bytes;
  while (receive_request(sock, h, reply_fd, steps, placeholders, bytes)) {
    {
      onnx::ModelProto p;
      if (!p.ParseFromString(bytes)) ::_exit(5);
      child_work(p, steps, h.take_back != 0, placeholders, reply_fd);
    }
    ::close(reply_fd);
    if (!send_all(sock, "d", 1)) break;
  }
  ::_exit(0);
}

// Models a worker runs before the server replaces it with a fresh one (a crash replaces it at once):
// what libonnx leaves behind (its heap, a leak) is carried over at most this many models.
constexpr int kModelsPerWorker = 1000;

// The status the server sends for a model its worker died on after running other models first: not
// a wait status (those are >= 0) and not -1 (no worker could run it).
constexpr int kDiedAfterOthers = -2;

// The server's end: one request at a time, each run by the server's worker, a process forked from
// the server that runs model after model until one crashes it (or kModelsPerWorker have run); the
// next model then gets a new worker. A fresh child of the server for every model (fork, its
// copy-on-write faults, exit) was most of fuzz_import's CPU: its 999 kept inputs under 10 ms
// (gcc -O2 replay, perf stat over every process, 2026-12-07, load 20) 4.17-4.55 CPU-s, 2.4x what
// the worker takes (1.71-2.01). The answers are the same (bench/compare_libonnx_server.sh): libonnx
// keeps no state between models but its schema table, built before the server forks. The wait
// status sent back is the worker's where it died on the model, else 0 (as a child that answered
// and exited). Ends when the caller's end closes (the caller exited).
[[noreturn]] void server_main(int sock) {
  pid_t worker = -1;
  int worker_sock = -1;
  int served = 0;
  RequestHeader h;
  int reply_fd = -1;
  std::vector<LibonnxRun> steps;
  std::vector<int> placeholders;
  std::string bytes;
  while (true) {
    // Forked before a request's reply descriptor is open here, so no worker holds a copy of one.
    if (worker < 0) {
      int fds[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0) {
        worker = ::fork();
        if (worker == 0) {
          ::close(sock);
          ::close(fds[0]);
          ::prctl(PR_SET_PDEATHSIG, SIGKILL);
          worker_main(fds[1]);
        }
        ::close(fds[1]);
        if (worker < 0) ::close(fds[0]);
        else worker_sock = fds[0];
        served = 0;
      }
    }
    if (!receive_request(sock, h, reply_fd, steps, placeholders, bytes)) ::_exit(0);
    int status = -1;  // -1: no worker could be forked (the caller runs the model the direct way)
    if (worker > 0) {
      const bool sent = send_request(worker_sock, h, reply_fd, steps, placeholders, bytes);
      ::close(reply_fd);
      char done = 0;
      if (sent && read_exact(worker_sock, &done, 1) && done == 'd') {
        status = 0;
        if (++served < kModelsPerWorker) {
          if (!send_all(sock, reinterpret_cast<const char*>(&status), sizeof status)) ::_exit(0);
          continue;
        }
      }
      // Gone (a crash on this model), or retired: its end closed, its exit awaited.
      ::close(worker_sock);
      if (status != 0) ::kill(worker, SIGKILL);  // one that stopped reading but lives on
      int died = 0;
      while (::waitpid(worker, &died, 0) < 0 && errno == EINTR) {
      }
      // A worker that could not be sent the model died before it (between models: the rss limit, a
      // stray signal): the model never ran there, so it is no crash of this model's; -1 lets the
      // caller run it the direct way, in a fresh child. A worker that died on the model after
      // running others may have died of what an earlier model left behind (heap damage libonnx
      // did not trip over then): kDiedAfterOthers asks the caller to send the model again, to the
      // fresh worker forked next, whose verdict is the model's own, as a fresh child's would be.
      if (status != 0) status = !sent ? -1 : served > 0 ? kDiedAfterOthers : died;
      worker = -1;
      worker_sock = -1;
    } else {
      ::close(reply_fd);
    }
    if (!send_all(sock, reinterpret_cast<const char*>(&status), sizeof status)) ::_exit(0);
  }
}

LibonnxCrashObserver& crash_observer() {
  static LibonnxCrashObserver o = nullptr;
  return o;
}

// The refusal of a model libonnx crashed on, its observer told first.
[[noreturn]] void crashed(const std::string& message) {
  if (const LibonnxCrashObserver o = crash_observer()) o(message);
  throw InputError(message);
}

struct Server {
  pid_t pid = -1;
  int sock = -1;
  bool wanted = false;  // start_libonnx_server was called: a server that died is started again
};
Server& server() {
  static Server s;
  return s;
}

void stop_server() {
  Server& s = server();
  if (s.sock >= 0) ::close(s.sock);
  if (s.pid > 0) {
    ::kill(s.pid, SIGKILL);
    while (::waitpid(s.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  s.pid = -1;
  s.sock = -1;
}

// Through the server: true with REPLY and STATUS set as a direct child would have left them; false
// when the server cannot take it (gone, or a model past protobuf's 2 GiB), and nothing ran.
bool run_on_server(const onnx::ModelProto& p, const std::vector<LibonnxRun>& steps, bool take_back, const std::vector<int>& placeholders,
                   std::string& reply, bool& read_ok, int& status) {
  Server& s = server();
  if (s.sock < 0 && s.wanted) start_libonnx_server();
  if (s.sock < 0) return false;
  std::string model;
  if (p.ByteSizeLong() > static_cast<std::size_t>(INT32_MAX) || !p.SerializeToString(&model)) return false;
  // Twice at most: a worker that died on the model after running others is asked again of a fresh
  // one (kDiedAfterOthers), whose verdict stands.
  for (int attempt = 0; attempt < 2; ++attempt) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
    HeaderMessage m;
    RequestHeader& h = m.h;
    h.steps = static_cast<std::uint32_t>(steps.size());
    h.placeholders = static_cast<std::uint32_t>(placeholders.size());
    h.model_bytes = model.size();
    h.take_back = take_back ? 1 : 0;
    msghdr& msg = m.msg;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &pipe_fds[1], sizeof(int));
    ssize_t n;
    do n = ::sendmsg(s.sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    ::close(pipe_fds[1]);
    const bool sent = n == static_cast<ssize_t>(sizeof h) &&
                      send_all(s.sock, reinterpret_cast<const char*>(steps.data()), steps.size() * sizeof(LibonnxRun)) &&
                      send_all(s.sock, reinterpret_cast<const char*>(placeholders.data()), placeholders.size() * sizeof(int)) &&
                      send_all(s.sock, model.data(), model.size());
    if (!sent) {
      ::close(pipe_fds[0]);
      stop_server();
      return false;
    }
    reply.clear();
    read_ok = read_fd_all(pipe_fds[0], reply);
    ::close(pipe_fds[0]);
    if (!read_exact(s.sock, &status, sizeof status)) break;
    if (status == kDiedAfterOthers) continue;
    if (status == -1) break;
    return true;
  }
  // The server died or could not fork (or, twice, no fresh worker answered): run it again the
  // direct way (the model is unchanged).
  stop_server();
  reply.clear();
  return false;
}

}  // namespace

void start_libonnx_server() {
  server().wanted = true;
  if (server().sock >= 0) return;
  build_schemas();
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return;  // calls fork directly instead
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    server_main(fds[1]);
  }
  ::close(fds[1]);
  server().pid = pid;
  server().sock = fds[0];
}

void stop_libonnx_server() {
  server().wanted = false;
  stop_server();
}

void set_libonnx_crash_observer(LibonnxCrashObserver observer) { crash_observer() = observer; }

void run_libonnx_isolated(onnx::ModelProto& p, LibonnxRun step, const std::string& what, bool take_back) {
  run_libonnx_isolated(p, {{what, step}}, take_back);
}

void run_libonnx_isolated(onnx::ModelProto& p, const std::vector<LibonnxStep>& steps, bool take_back, const std::vector<int>& placeholders) {
  if (steps.empty()) return;
  const std::string& first = steps.front().what;
  std::vector<LibonnxRun> runs;
  for (const auto& s : steps) runs.push_back(s.run);
  std::string reply;
  bool read_ok = false;
  int status = 0;
  if (!run_on_server(p, runs, take_back, placeholders, reply, read_ok, status)) {
    build_schemas();
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw InputError(first + ": cannot create a pipe: " + std::strerror(errno));
    std::cout.flush();
    std::cerr.flush();
    const pid_t child = ::fork();
    if (child < 0) {
      ::close(pipe_fds[0]);
      ::close(pipe_fds[1]);
      throw InputError(first + ": cannot fork: " + std::strerror(errno));
    }
    if (child == 0) {
      ::close(pipe_fds[0]);
      child_main(p, runs, take_back, placeholders, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    read_ok = read_fd_all(pipe_fds[0], reply);
    ::close(pipe_fds[0]);
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
  // The step that was running: the last one whose 's' came back.
  std::size_t started = 0;
  while (started < reply.size() && started < steps.size() && reply[started] == 's') ++started;
  reply.erase(0, started);
  const std::string& what = steps[started == 0 ? 0 : started - 1].what;
  if (WIFSIGNALED(status))
    crashed(what + " crashed on the model (" + ::strsignal(WTERMSIG(status)) +
            "): it is malformed (zero strides or kernel, an op libonnx cannot infer, …)");
  // A crash a sanitizer caught ends in its exit status, with no reply sent.
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && reply.empty())
    crashed(what + " crashed on the model (exit status " + std::to_string(WEXITSTATUS(status)) +
            "): it is malformed (zero strides or kernel, an op libonnx cannot infer, …)");
  if (!read_ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty())
    throw InputError(what + " failed to report on the model");
  if (reply[0] == 'e') throw InputError(what + " refused the model: " + collapse(reply.substr(1)));
  if (!take_back) return;
  onnx::ModelProto inferred;
  if (!inferred.ParseFromArray(reply.data() + 1, static_cast<int>(reply.size() - 1)))
    throw InputError(what + " returned a model that cannot be read");
  // Contents swapped, objects kept: callers hold references to P's graph.
  inferred.mutable_graph()->mutable_initializer()->Swap(p.mutable_graph()->mutable_initializer());
  p.mutable_graph()->Swap(inferred.mutable_graph());
  p.mutable_functions()->Swap(inferred.mutable_functions());
}

}  // namespace sml::compose
