#include "kube_fake_server.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "shared_dir.hpp"

namespace iu::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Command run(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  static int counter = 0;
  const auto base = std::filesystem::temp_directory_path() /
                    ("iu-kube-cmd-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
  std::string cmd = "timeout -k 5 " + std::to_string(limit.count());
  for (const auto& a : argv) cmd += " " + quote(a);
  cmd += " >" + base.string() + ".out 2>" + base.string() + ".err </dev/null";
  int status = std::system(cmd.c_str());
  Command r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return r;
}

KubeFake::KubeFake(const std::filesystem::path& dir, const std::string& state,
                   std::vector<std::string> extra)
    : dir_(dir), kubeconfig_(dir / "kubeconfig") {
  std::filesystem::create_directories(dir_);
  {
    std::ofstream out(dir_ / "state.yaml");
    out << state;
  }
  std::vector<std::string> args = {"/usr/bin/python3",
                                   (fixtures_dir() / "kube_fake.py").string(),
                                   "--port",
                                   "0",
                                   "--port-file",
                                   (dir_ / "port").string(),
                                   "--tls",
                                   (dir_ / "tls").string(),
                                   "--token",
                                   "s3cret",
                                   "--kubeconfig-out",
                                   kubeconfig_.string(),
                                   "--namespace",
                                   "argocd",
                                   "--state",
                                   (dir_ / "state.yaml").string(),
                                   "--max-lifetime",
                                   "900"};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = fork();
  if (pid_ == 0) {
    std::string log = (dir_ / "kube_fake.log").string();
    FILE* f = std::freopen(log.c_str(), "w", stderr);
    (void)f;
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("fork failed");
  // Bounded wait for the port file (TLS material is generated on first start).
  for (int i = 0; i < 300; ++i) {
    std::string p = slurp(dir_ / "port");
    if (!p.empty() && std::filesystem::exists(kubeconfig_)) {
      port_ = std::stoi(p);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("kube_fake.py exited: " + slurp(dir_ / "kube_fake.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("kube_fake.py did not start within 30 s: " +
                           slurp(dir_ / "kube_fake.log"));
}

KubeFake::~KubeFake() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string KubeFake::kubectl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"/usr/bin/kubectl", "--kubeconfig", kubeconfig_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  Command r = run(argv);
  if (r.exit_code != 0) throw std::runtime_error("kubectl failed: " + r.err);
  return r.out;
}

std::string KubeFake::test_endpoint(const std::string& path, const std::string& body) const {
  std::vector<std::string> argv = {"curl", "-sS", "--fail", "--cacert",
                                   (dir_ / "tls" / "ca.crt").string()};
  if (!body.empty()) {
    argv.push_back("-XPOST");
    argv.push_back("-d");
    argv.push_back(body);
  }
  argv.push_back(url() + path);
  Command r = run(argv);
  if (r.exit_code != 0) throw std::runtime_error("curl " + path + " failed: " + r.err);
  return r.out;
}

}  // namespace iu::test
