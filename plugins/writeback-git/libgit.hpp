// Thin RAII layer over the libgit2 C API: owning handles, and one exception type that carries
// libgit2's error code and class so callers can tell network, authentication and rejection
// failures apart.
#pragma once

#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace iu::gitwb {

// Keeps libgit2 initialised while alive (git_libgit2_init/shutdown are reference-counted).
class LibGit {
 public:
  LibGit() { git_libgit2_init(); }
  ~LibGit() { git_libgit2_shutdown(); }
  LibGit(const LibGit&) = delete;
  LibGit& operator=(const LibGit&) = delete;
};

// A failed libgit2 call. what() is "<context>: <libgit2 message>"; code() is the libgit2 return
// value (GIT_EAUTH, GIT_ENONFASTFORWARD, ...) and klass() the error class (GIT_ERROR_NET, ...).
class GitError : public std::runtime_error {
 public:
  GitError(int code, int klass, const std::string& message)
      : std::runtime_error(message), code_(code), klass_(klass) {}
  int code() const noexcept { return code_; }
  int klass() const noexcept { return klass_; }
  // A transport failure worth another attempt (connection refused or reset, HTTP 5xx, SSH or
  // OS-level I/O errors), as opposed to bad input or a refused authentication.
  bool network() const noexcept;

 private:
  int code_;
  int klass_;
};

// Throws GitError when `rc` < 0, with libgit2's last error message prefixed by `context`.
void check(int rc, std::string_view context);

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept {
    if (p != nullptr) Free(p);
  }
};

using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using SignaturePtr = std::unique_ptr<git_signature, Deleter<git_signature, git_signature_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using PatchPtr = std::unique_ptr<git_patch, Deleter<git_patch, git_patch_free>>;

// A git_buf that disposes of itself.
struct Buf {
  git_buf buf = GIT_BUF_INIT;
  Buf() = default;
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() { git_buf_dispose(&buf); }
  std::string str() const {
    return buf.ptr == nullptr ? std::string() : std::string(buf.ptr, buf.size);
  }
};

std::string oid_hex(const git_oid& oid);

}  // namespace iu::gitwb
