// Branch-name templates of the git write-back's `base:target` form (SPEC.md §9.4).
//
// Template data (field order matters only for {{ . }}):
//   .AppName       string
//   .AppNamespace  string
//   .Images        list of {.Name, .Alias, .OldTag, .NewTag}; .Name is the repository
//                  without the registry
//   .SHA256        hex SHA-256 of "<Name>-<OldTag>-<NewTag>," for every image, in order
//   .TargetKey     the write-back target key (§9.9)
#pragma once

#include <string>
#include <vector>

#include "iu/gotemplate/commit_message.hpp"
#include "iu/gotemplate/template.hpp"
#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate {

struct BranchImage {
  std::string name;
  std::string alias;
  std::string old_tag;
  std::string new_tag;
};

// The .SHA256 value.
std::string changes_sha256(const std::vector<BranchImage>& images);

Value branch_name_data(const Application& app, const std::vector<BranchImage>& images,
                       const std::string& target_key);

// The rendered name, cut to at most 255 bytes (never inside a UTF-8 character). Checking that
// it is a valid git ref name is the caller's job. Throws ExecError.
std::string render_branch_name(const Template& tmpl, const Application& app,
                               const std::vector<BranchImage>& images,
                               const std::string& target_key);

}  // namespace iu::gotemplate
