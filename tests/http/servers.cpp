#include "servers.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "shared_dir.hpp"

#ifndef IU_HTTP_TEST_DIR
#error "IU_HTTP_TEST_DIR must point at tests/http"
#endif

namespace iu::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// /usr/bin/python3 starts faster than a pyenv shim (fixtures README).
std::string python() { return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string fixture(const std::string& name) { return quote((fixtures_dir() / name).string()); }

std::string join_args(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += " " + quote(a);
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits (bounded) for a file to appear and returns its first line.
std::string wait_for_file(const fs::path& p, std::chrono::seconds limit, const std::string& what) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (fs::exists(p)) {
      std::string text = read_file(p);
      if (!text.empty() && text.back() == '\n') return text.substr(0, text.size() - 1);
    }
    std::this_thread::sleep_for(20ms);
  }
  throw std::runtime_error(what + " did not start within " + std::to_string(limit.count()) + " s");
}

// Starts `argv` detached in its own session; returns its pid.
int spawn(const std::vector<std::string>& argv, const fs::path& log) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setsid();
    FILE* f = std::fopen(log.c_str(), "w");
    if (f != nullptr) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void stop_pid(int pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {  // at most 2 s, then SIGKILL
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(20ms);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

std::string run_command(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run: " + command);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  if (status != 0)
    throw std::runtime_error("command failed (status " + std::to_string(status) + "): " + command +
                             "\n" + out);
  return out;
}

std::map<std::string, std::string> parse_env(const std::string& text) {
  std::map<std::string, std::string> env;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

ControlReply control_request(const std::string& method, const std::string& url,
                             const std::string& body) {
  CURL* h = curl_easy_init();
  if (h == nullptr) throw std::runtime_error("curl_easy_init failed");
  ControlReply r;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body.c_str());
  }
  CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(h);
  if (rc != CURLE_OK)
    throw std::runtime_error("control request " + method + " " + url + ": " +
                             curl_easy_strerror(rc));
  return r;
}

std::string free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("cannot find a free port on 127.0.0.1");
  return std::to_string(ntohs(addr.sin_port));
}

RegistryServer::RegistryServer(std::vector<std::string> args, const std::string& listen_port) {
  auto env =
      parse_env(run_command(fixture("registry.sh") + " start " + quote(dir_.path().string()) + " " +
                            quote(listen_port) + " --ttl 600" + join_args(args)));
  url = env["REGISTRY_URL"];
  host = env["REGISTRY_HOST"];
  port = env["REGISTRY_PORT"];
  if (env.count("REGISTRY_CA") != 0) ca = env["REGISTRY_CA"];
  if (url.empty()) throw std::runtime_error("registry.sh printed no REGISTRY_URL");
}

void RegistryServer::populate() const {
  std::string tls = ca.empty() ? "" : " --cacert " + quote(ca);
  run_command(python() + " " + fixture("populate.py") + " --registry " + quote(url) + tls +
              " --repo org/app --tags 1.0.0,1.1.0,2.0.0");
}

RegistryServer::~RegistryServer() {
  try {
    run_command(fixture("registry.sh") + " stop " + quote(dir_.path().string()));
  } catch (...) {
    // Stopping is best effort; the orphan guard (--ttl) ends it anyway.
  }
}

FaultProxy::FaultProxy(const std::string& upstream, std::vector<std::string> args) {
  auto pid = dir_.path() / "faults.pid";
  auto env = parse_env(run_command(
      python() + " " + fixture("faults.py") + " --background --quiet --ttl 600 --pid-file " +
      quote(pid.string()) + " --port 0 --upstream " + quote(upstream) + join_args(args)));
  url = env["FAULTS_URL"];
  host = "127.0.0.1:" + env["FAULTS_PORT"];
  if (env["FAULTS_PORT"].empty()) throw std::runtime_error("faults.py printed no FAULTS_PORT");
}

FaultProxy::~FaultProxy() {
  try {
    run_command(python() + " " + fixture("faults.py") + " --stop " +
                quote((dir_.path() / "faults.pid").string()));
  } catch (...) {
    // best effort: --ttl ends it anyway
  }
}

void FaultProxy::reset(const std::string& config_json) {
  // /__reset clears counters only: put every fault setting back to "none" first.
  static const std::string kNoFaults =
      R"({"p_reset": 0, "p_429": 0, "p_503": 0, "p_truncate": 0, "p_latency": 0, "latency_ms": 0,)"
      R"( "jitter_ms": 0, "retry_after": "1", "match": "", "methods": "", "sequence": []})";
  for (const std::string& config : {kNoFaults, config_json}) {
    auto r = control_request("POST", url + "/__config", config);
    if (r.status != 200)
      throw std::runtime_error("faults.py /__config refused " + config + ": " + r.body);
  }
  control_request("POST", url + "/__reset");
}

std::string FaultProxy::stats() const { return control_request("GET", url + "/__stats").body; }

Redirector::Redirector() {
  auto port_file = dir_.path() / "port";
  pid_ =
      spawn({python(), std::string(IU_HTTP_TEST_DIR) + "/redirector.py", port_file.string(), "600"},
            dir_.path() / "log");
  url = "http://127.0.0.1:" + wait_for_file(port_file, 15s, "redirector.py");
}

Redirector::~Redirector() { stop_pid(pid_); }

EcrFake::EcrFake(const std::vector<std::string>& credentials) {
  auto images = dir_.path() / "images.json";
  std::ofstream(images) << R"({"repositories": []})";
  auto port_file = dir_.path() / "port";
  std::vector<std::string> argv = {python(),         (fixtures_dir() / "ecr_fake.py").string(),
                                   "--port",         "0",
                                   "--port-file",    port_file.string(),
                                   "--images",       images.string(),
                                   "--max-lifetime", "600"};
  for (const auto& c : credentials) {
    argv.push_back("--credentials");
    argv.push_back(c);
  }
  pid_ = spawn(argv, dir_.path() / "log");
  try {
    url = "http://127.0.0.1:" + wait_for_file(port_file, 20s, "ecr_fake.py");
  } catch (const std::exception& e) {
    stop_pid(pid_);
    throw std::runtime_error(std::string(e.what()) + ": " + read_file(dir_.path() / "log"));
  }
}

EcrFake::~EcrFake() { stop_pid(pid_); }

long FaultStats::count(const std::string& method_path) const {
  auto it = by_method_path.find(method_path);
  return it == by_method_path.end() ? 0 : it->second;
}

FaultStats parse_stats(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject()) throw std::runtime_error("bad /__stats JSON: " + json);
  FaultStats s;
  s.total = d["total"].GetInt64();
  s.upstream_requests = d["upstream_requests"].GetInt64();
  s.connections = d["connections"].GetInt64();
  for (auto& m : d["by_method_path"].GetObject())
    s.by_method_path[m.name.GetString()] = m.value.GetInt64();
  for (auto& r : d["recent"].GetArray()) {
    FaultStats::Recent e;
    e.t = r["t"].GetDouble();
    e.ms = r["ms"].GetDouble();
    e.method = r["method"].GetString();
    e.target = r["target"].GetString();
    if (r["fault"].IsString()) e.fault = r["fault"].GetString();
    if (r["status"].IsInt()) e.status = r["status"].GetInt();
    s.recent.push_back(std::move(e));
  }
  return s;
}

}  // namespace iu::test
