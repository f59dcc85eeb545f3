#include "kube/exec_credential.hpp"

#include <fcntl.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "kube/time_format.hpp"

extern char** environ;

namespace iu::kube {
namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;
constexpr auto kTimeout = std::chrono::seconds(10);

struct Output {
  std::string out, err;
  int status = 0;
  bool timed_out = false, too_big = false;
};

Output run(const ExecConfig& c) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(c.where + ": cannot create a pipe");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error(c.where + ": cannot create a pipe");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);

  std::vector<std::string> argv_s{c.command};
  argv_s.insert(argv_s.end(), c.args.begin(), c.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) env_s.emplace_back(*e);
  for (const auto& [k, v] : c.env) env_s.push_back(k + "=" + v);
  env_s.push_back("KUBERNETES_EXEC_INFO={\"apiVersion\":\"" + c.api_version +
                  "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}");
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, c.command.c_str(), &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error(c.where + ".command: cannot run \"" + c.command +
                             "\": " + std::strerror(rc));
  }
  Output o;
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      o.timed_out = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? o.out : o.err).append(buf, static_cast<size_t>(n));
      if (o.out.size() + o.err.size() > kMaxOutput) o.too_big = true;
    }
    if (o.too_big) break;
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  if (o.timed_out || o.too_big) kill(-pid, SIGKILL);
  waitpid(pid, &o.status, 0);
  kill(-pid, SIGKILL);  // whatever it left behind in its group
  return o;
}

std::string str(const rapidjson::Value& v, const char* k) {
  return v.IsObject() && v.HasMember(k) && v[k].IsString() ? std::string(v[k].GetString())
                                                           : std::string();
}

}  // namespace

ExecResult run_exec_plugin(const ExecConfig& c) {
  Output o = run(c);
  const std::string excerpt = o.err.substr(0, 1024);
  if (o.timed_out)
    throw std::runtime_error(c.where + ": \"" + c.command + "\" timed out after 10 s: " + excerpt);
  if (o.too_big)
    throw std::runtime_error(c.where + ": \"" + c.command + "\" wrote more than 64 KiB");
  if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0)
    throw std::runtime_error(c.where + ": \"" + c.command + "\" failed (" +
                             (WIFEXITED(o.status) ? "exit " + std::to_string(WEXITSTATUS(o.status))
                                                  : std::string("killed by a signal")) +
                             "): " + excerpt);
  rapidjson::Document d;
  d.Parse(o.out.data(), o.out.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("status") || !d["status"].IsObject())
    throw std::runtime_error(c.where + ": \"" + c.command +
                             "\" did not print an ExecCredential with a status");
  const auto& s = d["status"];
  ExecResult r;
  r.token = str(s, "token");
  r.client_cert_pem = str(s, "clientCertificateData");
  r.client_key_pem = str(s, "clientKeyData");
  if (r.token.empty() && (r.client_cert_pem.empty() || r.client_key_pem.empty()))
    throw std::runtime_error(c.where +
                             ": the ExecCredential has neither status.token nor "
                             "status.clientCertificateData and status.clientKeyData");
  if (std::string exp = str(s, "expirationTimestamp"); !exp.empty()) {
    r.expires = parse_micro_time(exp);
    if (!r.expires)
      throw std::runtime_error(c.where + ": status.expirationTimestamp: not an RFC 3339 time");
  }
  return r;
}

}  // namespace iu::kube
