// Branch resolution (SPEC §9.4): which branch an intent starts from and which one it pushes to.
//
//   branch ""            base = target_revision ("" or HEAD: the remote default branch)
//   branch "base"        base = "base"
//   branch "base:target" push to target; created from the base tip when missing, otherwise
//                        updated on top of its own tip
//   branch ":target"     as above with the application's base (target_revision)
//
// The target is a Go template rendered by iu_gotemplate's branch-name helper with .AppName,
// .AppNamespace, .Images[] (.Name, .Alias, .OldTag, .NewTag), .SHA256 and .TargetKey,
// truncated to 255 bytes, and must then be a valid branch name.
#pragma once

#include <string>

#include "settings.hpp"

namespace iu::gitwb {

struct BranchPlan {
  std::string base;        // "" = the remote's default branch
  std::string base_field;  // the setting that named the base: "branch" or "target_revision"
  std::string target;      // rendered push branch; "" = push to the base

  // The branch the commit goes to, once the default branch is known.
  const std::string& push_branch(const std::string& default_branch) const {
    if (!target.empty()) return target;
    return base.empty() ? default_branch : base;
  }
};

// Resolves the branches of an intent. Throws iu::sdk::Error(INVALID_ARGUMENT) for a template
// that does not parse or render, or a result that is not a valid branch name; the message names
// the `branch` setting.
BranchPlan plan_branches(const Intent& intent);

// Hex SHA-256 of the concatenation, in change order, of "<name>-<old>-<new>," with the
// repository name without registry, as iu_gotemplate computes .SHA256.
std::string changes_sha256(const Intent& intent);

// First 8 hex characters of SHA-256 of "<repository>|<branch>|<write_back_target>" (.TargetKey).
std::string target_key(const Intent& intent);

// True when `name` is a valid branch name (refs/heads/<name> is a valid reference name).
bool valid_branch_name(const std::string& name);

}  // namespace iu::gitwb
