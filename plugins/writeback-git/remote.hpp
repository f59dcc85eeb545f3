// Network operations on one remote, all through libgit2: listing branches, fetching branch tips
// into the cache, and pushing a commit with a compare-and-swap on the remote branch.
//
// Push safety (SPEC §9.8, never a forced update): the refspec never carries '+', and the push
// negotiation callback refuses to send the update unless the branch's current value on the
// server is exactly the commit our new commit was built on (or absent when we create the
// branch). receive-pack then applies the update only if the ref still has that value, so a
// concurrent push makes ours fail instead of overwriting it, even on servers that allow
// non-fast-forward updates. Rejections come back through push_update_reference (not through the
// return value of git_remote_push, DESIGN.md) or as a refused negotiation.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "credentials.hpp"
#include "libgit.hpp"

namespace iu::gitwb {

struct RemoteHeads {
  std::map<std::string, git_oid> branches;  // branch name (without refs/heads/) -> tip
  std::string default_branch;               // "" when the remote does not advertise one

  const git_oid* tip(const std::string& branch) const {
    auto it = branches.find(branch);
    return it == branches.end() ? nullptr : &it->second;
  }
};

enum class PushStatus {
  kPushed,    // the server accepted the update (or already had exactly this commit)
  kRejected,  // the branch moved or the server refused the update: fetch and try again
};

struct PushOutcome {
  PushStatus status = PushStatus::kPushed;
  std::string reason;  // the server's or our reason for a rejection
};

class Remote {
 public:
  // `repo` and `credentials` must outlive the Remote. Without a repository (nullptr) only
  // list() is possible.
  Remote(git_repository* repo, std::string url, const GitCredentials& credentials);

  // Lists the remote's branches and its default branch. Throws GitError (GIT_EAUTH with a
  // message saying why for authentication failures).
  RemoteHeads list();

  // Lists, then downloads the tips of those branches `wanted(heads)` names that exist, and
  // records them as refs/remotes/origin/<branch>. One connection. Throws like list().
  using Wanted = std::function<std::vector<std::string>(const RemoteHeads&)>;
  RemoteHeads fetch(const Wanted& wanted);

  // Points refs/heads/<branch> of the cache at `commit` and pushes it to the remote branch,
  // provided the remote branch is at `expected` (absent: the branch must not exist).
  // Throws GitError for transport and authentication failures.
  PushOutcome push(const std::string& branch, const git_oid& commit,
                   const std::optional<git_oid>& expected);

 private:
  RemotePtr connect(int direction);
  RemoteHeads heads(git_remote* remote);
  [[noreturn]] void rethrow(const GitError& e) const;

  git_repository* repo_;
  std::string url_;
  CredentialState auth_;
};

}  // namespace iu::gitwb
