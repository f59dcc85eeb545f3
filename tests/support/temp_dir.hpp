// A private temporary directory for one test: created (mode 0700, unique name under the
// system temporary directory) on construction, removed with everything in it on destruction.
#pragma once

#include <filesystem>
#include <string>

namespace iu::test {

class TempDir {
 public:
  // `prefix` starts the directory's name, e.g. "iu-wbgit" → /tmp/iu-wbgit-Ab12Cd. Throws
  // std::runtime_error when the directory cannot be created.
  explicit TempDir(const std::string& prefix = "iu-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Writes `content` to path() / name (binary) and returns that path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace iu::test
