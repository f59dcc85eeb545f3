#include "commit.hpp"

namespace iu::gitwb {

git_oid create_commit(git_repository* repo, const Config& config, const Signer* signer,
                      const git_oid& tree_id, const git_oid& parent_id,
                      const std::string& message) {
  git_signature* raw_sig = nullptr;
  check(git_signature_now(&raw_sig, config.commit_user.c_str(), config.commit_email.c_str()),
        "invalid commit author (commit_user/commit_email)");
  SignaturePtr sig(raw_sig);
  git_tree* raw_tree = nullptr;
  check(git_tree_lookup(&raw_tree, repo, &tree_id), "cannot read the new tree");
  TreePtr tree(raw_tree);
  git_commit* raw_parent = nullptr;
  check(git_commit_lookup(&raw_parent, repo, &parent_id), "cannot read the parent commit");
  CommitPtr parent(raw_parent);
  const git_commit* parents[] = {parent.get()};
  git_oid out;
  if (signer == nullptr) {
    check(git_commit_create(&out, repo, nullptr, sig.get(), sig.get(), nullptr, message.c_str(),
                            tree.get(), 1, parents),
          "cannot create the commit");
    return out;
  }
  Buf buffer;
  check(git_commit_create_buffer(&buffer.buf, repo, sig.get(), sig.get(), nullptr, message.c_str(),
                                 tree.get(), 1, parents),
        "cannot create the commit");
  std::string content = buffer.str();
  std::string signature = signer->sign(content);
  check(git_commit_create_with_signature(&out, repo, content.c_str(), signature.c_str(), "gpgsig"),
        "cannot create the signed commit");
  return out;
}

}  // namespace iu::gitwb
