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
#include "temp_dir.hpp"

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
class TempDir : public iu::test::TempDir {
 public:
  TempDir() : iu::test::TempDir("iu-cred") {}

  // Writes `name` with `content` and the given mode; returns its absolute path.
  std::string write(const std::string& name, const std::string& content, mode_t mode = 0755) const {
    const std::string p = iu::test::TempDir::write(name, content);
    ::chmod(p.c_str(), mode);
    return p;
  }
};

}  // namespace iu::credentials::test
