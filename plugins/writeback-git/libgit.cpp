#include "libgit.hpp"

namespace iu::gitwb {

bool GitError::network() const noexcept {
  if (code_ == GIT_EAUTH || code_ == GIT_ECERTIFICATE || code_ == GIT_EUSER) return false;
  switch (klass_) {
    case GIT_ERROR_NET:
    case GIT_ERROR_HTTP:
    case GIT_ERROR_SSH:
    case GIT_ERROR_SSL:
    case GIT_ERROR_OS:
      return true;
    default:
      return false;
  }
}

void check(int rc, std::string_view context) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  std::string message(context);
  int klass = GIT_ERROR_NONE;
  if (e != nullptr && e->message != nullptr) {
    message += ": ";
    message += e->message;
    klass = e->klass;
  } else {
    message += ": libgit2 error " + std::to_string(rc);
  }
  throw GitError(rc, klass, message);
}

std::string oid_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), &oid);
  return std::string(hex);
}

}  // namespace iu::gitwb
