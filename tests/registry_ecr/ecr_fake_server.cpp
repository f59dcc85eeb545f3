#include "ecr_fake_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "it_support.hpp"
#include "shared_dir.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int read_port(const std::filesystem::path& p) {
  std::string text = slurp(p);
  try {
    return text.empty() ? 0 : std::stoi(text);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

std::string fixture_python() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

EcrFake::EcrFake(std::filesystem::path dir, std::vector<std::string> options, bool with_proxy)
    : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  const std::string script = (fixtures_dir() / "ecr_fake.py").string();
  if (!std::filesystem::exists(script))
    throw std::runtime_error("ecr_fake.py not found at " + script + " (set IU_SHARED_DIR)");
  std::vector<std::string> argv{
      fixture_python(),         script,           "--port", "0", "--port-file",
      (dir_ / "port").string(), "--max-lifetime", "900"};
  if (with_proxy)
    for (const char* a : {"--registry-proxy-port", "0", "--proxy-port-file"}) argv.push_back(a);
  if (with_proxy) argv.push_back((dir_ / "proxy-port").string());
  argv.insert(argv.end(), options.begin(), options.end());

  const std::string log_path = (dir_ / "ecr_fake.log").string();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed starting ecr_fake.py");
  if (pid_ == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int devnull = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    if (devnull >= 0) dup2(devnull, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    port_ = read_port(dir_ / "port");
    proxy_port_ = with_proxy ? read_port(dir_ / "proxy-port") : 0;
    if (port_ > 0 && (!with_proxy || proxy_port_ > 0)) {
      try {
        fetch_text(api_url() + "/__healthz");
        return;
      } catch (const std::exception&) {
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("ecr_fake.py exited at start: " + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string why = log();
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  throw std::runtime_error("ecr_fake.py did not answer within 30 s: " + why);
}

EcrFake::~EcrFake() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string EcrFake::get(const std::string& path) const {
  return fetch_text(api_url() + "/" + path);
}

int EcrFake::count(const std::string& key, int code) const {
  rapidjson::Document doc = parse_json(get("__requests"));
  if (!doc.IsObject() || !doc.HasMember("recent") || !doc["recent"].IsArray())
    throw std::runtime_error("ecr_fake.py /__requests without \"recent\"");
  int n = 0;
  for (const auto& r : doc["recent"].GetArray())
    if (json_string(r, {"op"}) == key && json_int(r, {"code"}) == code) ++n;
  return n;
}

int EcrFake::total(const std::string& key) const {
  rapidjson::Document doc = parse_json(get("__requests"));
  return static_cast<int>(json_int(doc, {"counts", key.c_str()}));
}

void EcrFake::reset_counts() const { get("__requests?reset=1"); }

std::string EcrFake::log() const { return slurp(dir_ / "ecr_fake.log"); }

}  // namespace iu::test
