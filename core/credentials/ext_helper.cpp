#include "credentials/ext_helper.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "credentials/credential.hpp"
#include "util/duration.hpp"

namespace iu::credentials {
namespace {

using Clock = std::chrono::steady_clock;

// How often the helper is checked for having exited when the kernel offers no pidfd (Linux
// before 5.3); with a pidfd, poll() wakes up at the exit itself.
constexpr std::chrono::milliseconds kExitCheckSlice{10};

[[noreturn]] void fail(std::string_view ref, const std::string& what) {
  throw CredentialError(std::string(ref) + ": " + what);
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe make_pipe(std::string_view ref) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    fail(ref, std::string("cannot create a pipe: ") + std::strerror(errno));
  Pipe p{Fd(fds[0]), Fd(fds[1])};
  ::fcntl(p.read.get(), F_SETFL, ::fcntl(p.read.get(), F_GETFL) | O_NONBLOCK);
  return p;
}

void check_executable(const std::string& path, std::string_view ref) {
  if (path.empty() || path.front() != '/') fail(ref, "the path is not absolute");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail(ref, std::string("cannot run: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail(ref, "cannot run: not a regular file");
  if (::access(path.c_str(), X_OK) != 0) fail(ref, "cannot run: not executable");
}

// The running helper: its pid (also its process group id) and what it has written so far.
struct Run {
  pid_t pid = -1;
  std::string out, err;
  std::size_t total = 0;
  bool oversized = false;
};

// Reads what is available on `fd` without blocking. Returns false at end of file.
bool read_available(int fd, std::string& into, Run& run, const HelperLimits& limits) {
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      run.total += static_cast<std::size_t>(n);
      if (run.total > limits.max_output) {
        run.oversized = true;
        return true;
      }
      into.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return true;  // EAGAIN: nothing more for now
  }
}

bool has_exited(pid_t pid) {
  siginfo_t info{};
  // WNOWAIT keeps the zombie, so the process group id cannot be reused before the final kill.
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return errno == ECHILD;
  return info.si_pid == pid;
}

pid_t spawn(const std::string& path, int out_fd, int err_fd, std::string_view ref) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  // Own process group (pgid = pid), default signal dispositions, nothing blocked.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) fail(ref, std::string("cannot run: ") + std::strerror(rc));
  return pid;
}

std::string stderr_excerpt(const std::string& err, std::size_t limit) {
  std::string s = err.substr(0, limit);
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s.empty() ? std::string() : ": stderr: " + s;
}

}  // namespace

std::string run_credential_helper(const std::string& path, std::string_view ref,
                                  const HelperLimits& limits) {
  check_executable(path, ref);
  Pipe out = make_pipe(ref), err = make_pipe(ref);
  Run run;
  run.pid = spawn(path, out.write.get(), err.write.get(), ref);
  out.write.reset();
  err.write.reset();
  // Readable once the helper has exited. Called through syscall(): glibc 2.36's <sys/pidfd.h>
  // declares pidfd_open without C linkage.
  const Fd exit_fd(static_cast<int>(::syscall(SYS_pidfd_open, run.pid, 0)));

  const auto deadline = Clock::now() + limits.timeout;
  bool out_open = true, err_open = true, timed_out = false;
  while (!run.oversized) {
    if (has_exited(run.pid)) {
      // Everything the helper wrote is in the pipes now; a child it left behind may still hold
      // them open, so take what is there instead of waiting for end of file.
      if (out_open) read_available(out.read.get(), run.out, run, limits);
      if (err_open) read_available(err.read.get(), run.err, run, limits);
      break;
    }
    auto now = Clock::now();
    if (now >= deadline) {
      timed_out = true;
      break;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                std::chrono::milliseconds(1);
    if (exit_fd.get() < 0) wait = std::min(wait, kExitCheckSlice);
    pollfd fds[3];
    nfds_t n = 0;
    if (out_open) fds[n++] = {out.read.get(), POLLIN, 0};
    if (err_open) fds[n++] = {err.read.get(), POLLIN, 0};
    if (exit_fd.get() >= 0) fds[n++] = {exit_fd.get(), POLLIN, 0};
    int ready = ::poll(fds, n, static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) break;
    for (nfds_t i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0 || fds[i].fd == exit_fd.get()) continue;
      bool is_out = fds[i].fd == out.read.get();
      bool open = read_available(fds[i].fd, is_out ? run.out : run.err, run, limits);
      (is_out ? out_open : err_open) = open;
    }
  }

  // The group is killed in every case: on timeout or oversized output to stop the helper, after
  // a normal exit to remove anything it left running.
  ::kill(-run.pid, SIGKILL);
  int status = 0;
  while (::waitpid(run.pid, &status, 0) < 0 && errno == EINTR) {
  }
  // Whatever stderr arrived after the last poll still belongs in an error message.
  if (err_open && !run.oversized) read_available(err.read.get(), run.err, run, limits);

  const std::string excerpt = stderr_excerpt(run.err, limits.stderr_excerpt);
  if (run.oversized)
    fail(ref, "output exceeds " + std::to_string(limits.max_output) + " bytes" + excerpt);
  if (timed_out)
    fail(ref, "timed out after " + util::format_duration(limits.timeout) +
                  " (process group killed)" + excerpt);
  if (WIFSIGNALED(status))
    fail(ref, "killed by signal " + std::to_string(WTERMSIG(status)) + excerpt);
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    fail(ref, "exited with status " + std::to_string(WEXITSTATUS(status)) + excerpt);

  std::string line = run.out.substr(0, run.out.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) fail(ref, "printed no credentials on its first output line" + excerpt);
  return line;
}

}  // namespace iu::credentials
