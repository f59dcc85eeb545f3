// Edit application: one intent's semantic edits applied to the files of a tree (SPEC §9.5,
// §9.7). Each intent is all-or-nothing: when any of its edits cannot be made (unparsable file,
// path conflict, missing kustomization) the files are left as they were and only that intent
// fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "iu/plugin.h"
#include "settings.hpp"
#include "targets.hpp"
#include "tree_files.hpp"

namespace iu::gitwb {

struct IntentOutcome {
  bool ok = false;
  uint64_t changes = 0;  // changes that were not already satisfied
  std::string path;      // the target file
  iu_status status = IU_STATUS_OK;
  std::string error;  // "<file>:<line>:<col>: <problem>" when !ok
};

// The existing file a target resolves to in `files`, or nullopt when none of its candidates
// exists. Throws std::runtime_error for a candidate that is not a regular file.
std::optional<std::string> existing_target_file(TreeFiles& files, const Target& target);

// Applies `intent` to `files`.
IntentOutcome apply_intent(TreeFiles& files, const Intent& intent, const Target& target);

// A unified diff of one edited file, "a/<path>" to "b/<path>" (for dry runs).
std::string unified_diff(const TreeFiles::Edited& file);

}  // namespace iu::gitwb
