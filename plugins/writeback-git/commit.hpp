// Making the batch's commit (SPEC §9.7): author and committer from the configuration, optional
// sign-off trailer (added by the caller's message) and signature.
#pragma once

#include <string>

#include "libgit.hpp"
#include "settings.hpp"
#include "signing.hpp"

namespace iu::gitwb {

// Writes a commit of `tree` with the single parent `parent` and returns its id. No reference is
// updated. `signer` may be null (unsigned). Throws GitError or iu::sdk::Error (signing).
git_oid create_commit(git_repository* repo, const Config& config, const Signer* signer,
                      const git_oid& tree, const git_oid& parent, const std::string& message);

}  // namespace iu::gitwb
