#include "branches.hpp"

#include <git2.h>

#include "hash.hpp"
#include "image_name.hpp"
#include "iu/gotemplate/branch_name.hpp"

namespace iu::gitwb {
namespace {

using iu::sdk::Error;

std::vector<iu::gotemplate::BranchImage> branch_images(const Intent& in) {
  std::vector<iu::gotemplate::BranchImage> out;
  for (const Change& c : in.changes)
    out.push_back({repository_of(c.image_name), c.alias, c.old_tag, c.tag_value()});
  return out;
}

}  // namespace

std::string changes_sha256(const Intent& intent) {
  return iu::gotemplate::changes_sha256(branch_images(intent));
}

std::string target_key(const Intent& intent) {
  return sha256_hex(intent.repository + "|" + intent.branch + "|" + intent.write_back_target)
      .substr(0, 8);
}

bool valid_branch_name(const std::string& name) {
  int valid = 0;
  return !name.empty() &&
         git_reference_name_is_valid(&valid, ("refs/heads/" + name).c_str()) == 0 && valid != 0;
}

BranchPlan plan_branches(const Intent& in) {
  BranchPlan plan;
  std::string base_part = in.branch;
  std::string target_text;
  bool has_target = false;
  if (size_t colon = in.branch.find(':'); colon != std::string::npos) {
    base_part = in.branch.substr(0, colon);
    target_text = in.branch.substr(colon + 1);
    has_target = true;
  }
  if (!base_part.empty()) {
    plan.base = base_part;
    plan.base_field = "branch";
  } else {
    plan.base = in.target_revision == "HEAD" ? std::string() : in.target_revision;
    plan.base_field = "target_revision";
  }
  if (!plan.base.empty() && !valid_branch_name(plan.base))
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                plan.base_field + ": \"" + plan.base + "\" is not a valid branch name");
  if (has_target) {
    if (target_text.empty())
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  "branch: \"" + in.branch + "\": the target branch after ':' is empty");
    try {
      plan.target = iu::gotemplate::render_branch_name(iu::gotemplate::Template::parse(target_text),
                                                       {in.app_name, in.app_namespace},
                                                       branch_images(in), target_key(in));
    } catch (const iu::gotemplate::Error& e) {
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  "branch: invalid target branch template \"" + target_text + "\": " + e.what());
    }
    if (!valid_branch_name(plan.target))
      throw Error(IU_STATUS_INVALID_ARGUMENT, "branch: target branch \"" + plan.target +
                                                  "\" (from \"" + target_text +
                                                  "\") is not a valid branch name");
  }
  return plan;
}

}  // namespace iu::gitwb
