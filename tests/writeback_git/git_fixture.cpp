#include "git_fixture.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "shared_dir.hpp"

namespace iu::test::gitwb {
namespace {

const char* kGitEnv =
    "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 "
    "GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.invalid "
    "GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.invalid ";

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string script() { return quote((iu::test::fixtures_dir() / "gitserver.sh").string()); }

}  // namespace

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CommandResult sh(const std::string& command, bool must_succeed) {
  std::string full = std::string(kGitEnv) + "sh -c " + quote(command) + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed: " + command);
  CommandResult r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (must_succeed && r.status != 0)
    throw std::runtime_error("command failed (" + std::to_string(r.status) + "): " + command +
                             "\n" + r.output);
  return r;
}

GitServer::GitServer(const std::vector<std::string>& options) {
  std::string cmd =
      script() + " start " + quote(dir_.path().string()) + " 0 --http-port 0 --ttl 600";
  for (const auto& o : options) cmd += " " + quote(o);
  CommandResult r = sh(cmd);
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);)
    if (size_t eq = line.find('='); eq != std::string::npos && line.starts_with("GIT_"))
      env_[line.substr(0, eq)] = line.substr(eq + 1);
  if (env_.count("GIT_DAEMON_URL") == 0 || env_.count("GIT_HTTP_URL") == 0) {
    sh(script() + " stop " + quote(dir_.path().string()), false);
    throw std::runtime_error("gitserver.sh start printed no URLs:\n" + r.output);
  }
}

GitServer::~GitServer() { sh(script() + " stop " + quote(dir_.path().string()), false); }

std::string GitServer::create_repo(const std::string& name, const std::vector<std::string>& extra) {
  std::string cmd = script() + " create-repo " + quote(dir_.path().string()) + " " + quote(name);
  for (const auto& e : extra) cmd += " " + quote(e);
  sh(cmd);
  git(bare(name), "config core.logAllRefUpdates true");
  return bare(name).string();
}

std::string GitServer::daemon_url(const std::string& name) const {
  return env_.at("GIT_DAEMON_URL") + "/" + name + ".git";
}
std::string GitServer::http_url(const std::string& name) const {
  return env_.at("GIT_HTTP_URL") + "/" + name + ".git";
}
std::string GitServer::http_root() const { return env_.at("GIT_HTTP_URL"); }
std::filesystem::path GitServer::bare(const std::string& name) const {
  return dir_.path() / "repos" / (name + ".git");
}

std::string git(const std::filesystem::path& repo, const std::string& args) {
  return trim(sh("git -C " + quote(repo.string()) + " " + args).output);
}

std::string rev(const std::filesystem::path& bare, const std::string& branch) {
  CommandResult r = sh(
      "git -C " + quote(bare.string()) + " rev-parse --verify -q " + quote("refs/heads/" + branch),
      false);
  return r.status == 0 ? trim(r.output) : std::string();
}

std::string show(const std::filesystem::path& bare, const std::string& branch,
                 const std::string& path) {
  return sh("git -C " + quote(bare.string()) + " show " + quote(branch + ":" + path)).output;
}

int commit_count(const std::filesystem::path& bare, const std::string& branch) {
  return std::stoi(git(bare, "rev-list --count " + quote("refs/heads/" + branch)));
}

std::vector<RefUpdate> reflog(const std::filesystem::path& bare, const std::string& branch) {
  std::vector<RefUpdate> out;
  std::ifstream f(bare / "logs" / "refs" / "heads" / branch);
  for (std::string line; std::getline(f, line);) {
    RefUpdate u;
    u.old_oid = line.substr(0, 40);
    u.new_oid = line.substr(41, 40);
    if (size_t tab = line.find('\t'); tab != std::string::npos) u.message = line.substr(tab + 1);
    out.push_back(u);
  }
  return out;
}

bool only_fast_forwards(const std::filesystem::path& bare, const std::string& branch) {
  for (const RefUpdate& u : reflog(bare, branch)) {
    if (u.old_oid == std::string(40, '0')) continue;  // creation
    CommandResult r = sh("git -C " + quote(bare.string()) + " merge-base --is-ancestor " +
                             u.old_oid + " " + u.new_oid,
                         false);
    if (r.status != 0) return false;
  }
  return true;
}

}  // namespace iu::test::gitwb

namespace iu::test::gitwb {

HttpProxy::HttpProxy(const std::string& upstream) {
  std::string faults = quote((iu::test::fixtures_dir() / "faults.py").string());
  std::string pid = quote((dir_.path() / "faults.pid").string());
  CommandResult r = sh(faults + " --background --quiet --ttl 600 --pid-file " + pid +
                       " --port 0 --upstream " + quote(upstream));
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("FAULTS_URL=")) url_ = line.substr(11);
  if (url_.empty()) {
    sh(faults + " --stop " + pid, false);
    throw std::runtime_error("faults.py printed no FAULTS_URL:\n" + r.output);
  }
}

HttpProxy::~HttpProxy() {
  sh(quote((iu::test::fixtures_dir() / "faults.py").string()) + " --stop " +
         quote((dir_.path() / "faults.pid").string()),
     false);
}

int HttpProxy::count(const std::string& method_path) const {
  std::string json = sh("curl -sf " + quote(url_ + "/__stats")).output;
  std::string needle = "\"" + method_path + "\": ";
  size_t p = json.find(needle);
  return p == std::string::npos ? 0 : std::stoi(json.substr(p + needle.size()));
}

}  // namespace iu::test::gitwb
