#include "repo_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "hash.hpp"
#include "repo_url.hpp"

namespace iu::gitwb {

std::string cache_folder_name(const std::string& url) {
  std::string slug;
  for (char c : display_url(url)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (slug.size() < 60) slug += ok ? c : '_';
  }
  return slug + "-" + sha256_hex(normalize_url(url)).substr(0, 16) + ".git";
}

std::filesystem::path CachedRepo::default_root() {
  return std::filesystem::temp_directory_path() / "argocd-image-updater" / "git-cache";
}

CachedRepo::CachedRepo(const std::filesystem::path& root, const std::string& url) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec)
    throw std::runtime_error("cannot create the git cache folder " + root.string() + ": " +
                             ec.message());
  path_ = root / cache_folder_name(url);
  std::string lock = path_.string() + ".lock";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) throw std::runtime_error("cannot open " + lock + ": " + std::strerror(errno));
  while (::flock(lock_fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(lock_fd_);
    throw std::runtime_error("cannot lock " + lock + ": " + std::strerror(err));
  }
  git_repository* raw = nullptr;
  if (std::filesystem::exists(path_ / "HEAD") &&
      git_repository_open_bare(&raw, path_.c_str()) == 0) {
    repo_.reset(raw);
    return;
  }
  std::filesystem::remove_all(path_, ec);  // a half-created or damaged cache
  try {
    check(git_repository_init(&raw, path_.c_str(), 1),
          "cannot create the git cache " + path_.string());
  } catch (...) {
    ::close(lock_fd_);
    throw;
  }
  repo_.reset(raw);
}

CachedRepo::~CachedRepo() {
  repo_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

}  // namespace iu::gitwb
