#include "fixture_servers.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "shared_dir.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string script(const char* name) { return (fixtures_dir() / name).string(); }

std::string describe(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  TempDir scratch;
  std::filesystem::path err = scratch.path() / "stderr";
  std::string cmd = "timeout -k 5 " + std::to_string(limit.count());
  for (const auto& a : argv) cmd += " " + quote(a);
  cmd += " </dev/null 2>" + quote(err.string());
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run " + describe(argv));
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = slurp(err);
  return r;
}

std::string run_checked(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  CommandResult r = run_command(argv, limit);
  if (r.exit_code != 0)
    throw std::runtime_error(describe(argv) + " exited " + std::to_string(r.exit_code) +
                             (r.exit_code == 124 ? " (timed out)" : "") + ": " + r.err);
  return r.out;
}

std::map<std::string, std::string> parse_env(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos && eq > 0) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

RegistryServer::RegistryServer(std::filesystem::path dir, std::vector<std::string> options,
                               std::filesystem::path storage)
    : dir_(std::move(dir)), storage_(std::move(storage)) {
  std::vector<std::string> argv{script("registry.sh"), "start", dir_.string(), "0", "--ttl", "900"};
  if (!storage_.empty()) {
    argv.push_back("--storage");
    argv.push_back(storage_.string());
  }
  argv.insert(argv.end(), options.begin(), options.end());
  // With port 0 the registry takes a free port and the token server PORT+1, which a test
  // running in parallel may have taken meanwhile: such a start is retried (bounded).
  for (int attempt = 1;; ++attempt) {
    CommandResult r = run_command(argv, std::chrono::seconds(60));
    if (r.exit_code == 0) {
      env_ = parse_env(r.out);
      return;
    }
    run_command({script("registry.sh"), "stop", dir_.string()}, std::chrono::seconds(30));
    if (attempt < 3 && r.err.find("Address already in use") != std::string::npos) continue;
    throw std::runtime_error(describe(argv) + " exited " + std::to_string(r.exit_code) +
                             (r.exit_code == 124 ? " (timed out)" : "") + ": " + r.err);
  }
}

RegistryServer::~RegistryServer() {
  run_command({script("registry.sh"), "stop", dir_.string()}, std::chrono::seconds(30));
  std::error_code ec;
  if (!storage_.empty()) std::filesystem::remove_all(storage_, ec);
}

std::string RegistryServer::env(const std::string& key) const {
  auto it = env_.find(key);
  if (it == env_.end()) throw std::runtime_error("registry.sh did not print " + key);
  return it->second;
}

FaultProxy::FaultProxy(std::filesystem::path dir, const std::string& upstream,
                       std::vector<std::string> options)
    : pid_file_(dir / "faults.pid") {
  std::vector<std::string> argv{script("faults.py"),
                                "--background",
                                "--pid-file",
                                pid_file_.string(),
                                "--port",
                                "0",
                                "--upstream",
                                upstream,
                                "--quiet",
                                "--ttl",
                                "900"};
  argv.insert(argv.end(), options.begin(), options.end());
  auto env = parse_env(run_checked(argv, std::chrono::seconds(30)));
  if (env.count("FAULTS_PORT") == 0)
    throw std::runtime_error("faults.py did not print FAULTS_PORT");
  host_ = "127.0.0.1:" + env["FAULTS_PORT"];
  url_ = "http://" + host_;
}

FaultProxy::~FaultProxy() {
  run_command({script("faults.py"), "--stop", pid_file_.string()}, std::chrono::seconds(30));
}

std::string FaultProxy::stats() const { return fetch_text(url_ + "/__stats"); }

std::string populate(const std::string& registry, const std::vector<std::string>& args,
                     const std::filesystem::path& scratch, bool want_out) {
  std::filesystem::path out = scratch / "populate-out.json";
  std::vector<std::string> argv{script("populate.py"), "--quiet"};
  if (!registry.empty()) {
    argv.push_back("--registry");
    argv.push_back(registry);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  if (want_out) {
    argv.push_back("--out");
    argv.push_back(out.string());
  }
  run_checked(argv, std::chrono::seconds(180));
  return want_out ? slurp(out) : std::string();
}

std::string skopeo(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"skopeo"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_checked(argv, std::chrono::seconds(60));
}

}  // namespace iu::test
