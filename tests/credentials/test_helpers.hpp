// Helpers for the credential tests: an in-memory SecretSource and a temporary directory that
// holds executables written by the tests.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include "credentials/credential.hpp"

namespace iu::credentials::test {

// Secrets by "ns/name"; `fail_with` makes every get() throw, like a denied API request.
class FakeSecrets : public SecretSource {
 public:
  std::map<std::string, std::map<std::string, std::string>> secrets;
  std::string fail_with;
  std::atomic<int> calls{0};

  std::optional<std::map<std::string, std::string>> get(const SecretRef& ref) override {
    ++calls;
    if (!fail_with.empty()) throw std::runtime_error(fail_with);
    auto it = secrets.find(ref.ns + "/" + ref.name);
    if (it == secrets.end()) return std::nullopt;
    return it->second;
  }
};

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "iu-cred-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

  // Writes `name` with `content` and the given mode; returns its absolute path.
  std::string write(const std::string& name, const std::string& content, mode_t mode = 0755) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    ::chmod(p.c_str(), mode);
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace iu::credentials::test
