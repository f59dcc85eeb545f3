// Local clones cached between passes (SPEC §9.4): one bare repository per remote URL under the
// cache folder, updated by fetch. Nothing is checked out: edits are made on trees in the object
// database, so a monorepo's working copy never has to be written to disk.
//
// Exclusivity: a CachedRepo holds an exclusive flock(2) on "<repo>.lock" for its lifetime, so
// one writer at a time uses a cache folder, across threads and processes. The libgit2 handle is
// owned by the CachedRepo and never shared between threads.
#pragma once

#include <filesystem>
#include <string>

#include "libgit.hpp"

namespace iu::gitwb {

class CachedRepo {
 public:
  // Opens the cache repository of `url` below `root` (created on first use), waiting for the
  // lock. A cache that libgit2 cannot open is discarded and created anew. Throws GitError or
  // std::runtime_error (folder not writable).
  CachedRepo(const std::filesystem::path& root, const std::string& url);
  ~CachedRepo();
  CachedRepo(const CachedRepo&) = delete;
  CachedRepo& operator=(const CachedRepo&) = delete;

  git_repository* get() const { return repo_.get(); }
  const std::filesystem::path& path() const { return path_; }

  // The cache folder used when the configuration leaves it empty.
  static std::filesystem::path default_root();

 private:
  std::filesystem::path path_;
  int lock_fd_ = -1;
  RepoPtr repo_;
};

// The folder name of a URL's cache: a readable slug of the display URL plus a hash of the
// normalized URL, so different URLs never share a folder and the name has no credentials.
std::string cache_folder_name(const std::string& url);

}  // namespace iu::gitwb
