#include "manifest_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace iu::argocdwb {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int err) { return std::strerror(err); }

// Closes a descriptor and removes the temporary file unless release() was called.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes the descriptor; false with errno set when close() reports a write error.
  bool close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  void keep() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<std::string> read_manifest(const std::string& path, std::string* error,
                                         bool* missing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (missing != nullptr) *missing = err == ENOENT;
    *error = path + ": cannot read: " + errno_text(err);
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    *error = path + ": cannot read: " + errno_text(errno);
    return std::nullopt;
  }
  return out.str();
}

bool replace_manifest(const std::string& path, const std::string& text, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    *error = path + ": cannot replace: " + errno_text(errno);
    return false;
  }
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + target.filename().string() + ".iu-tmp-XXXXXX")).string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    *error =
        path + ": cannot create a temporary file in " + dir.string() + ": " + errno_text(errno);
    return false;
  }
  TempFile tmp(fd, pattern);
  if (::fchmod(tmp.fd(), st.st_mode & 07777) != 0 || !write_all(tmp.fd(), text) ||
      ::fsync(tmp.fd()) != 0 || !tmp.close()) {
    *error = path + ": cannot write " + tmp.path() + ": " + errno_text(errno);
    return false;
  }
  if (::rename(tmp.path().c_str(), path.c_str()) != 0) {
    *error = path + ": cannot rename " + tmp.path() + " over it: " + errno_text(errno);
    return false;
  }
  tmp.keep();
  // The rename is durable once the directory is flushed; a failure here cannot undo it.
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

std::mutex& manifest_lock(const std::string& path) {
  static std::mutex guard;
  static std::map<std::string, std::unique_ptr<std::mutex>> locks;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  const std::string key = ec ? path : canonical.string();
  std::lock_guard lock(guard);
  auto& m = locks[key];
  if (!m) m = std::make_unique<std::mutex>();
  return *m;
}

}  // namespace iu::argocdwb
