// The semantic edits of an intent applied to one target file, and the reverse: what the file
// currently holds for each change (SPEC §9.5, §9.2, §6.8). Pure functions over YAML text; the
// byte-preserving editing itself is iu_yamledit's.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "iu/yamledit/document.hpp"
#include "settings.hpp"
#include "targets.hpp"

namespace iu::gitwb {

// Applies every change of `intent` to `doc` (the target file's text; empty for a new file).
// Returns how many changes were not already satisfied (0: `already set in spec`). Throws
// iu::yamledit::EditError (document unchanged) or iu::sdk::Error for an unusable target setting.
uint64_t apply_changes(iu::yamledit::Document& doc, const Target& target, const Intent& intent);

struct CurrentEntry {
  std::string image_name;  // "" when the target stores only a tag
  std::string tag;
  std::string digest;
};

// For each change (by index) that has an entry in `doc`, what the entry holds. Throws
// iu::yamledit::EditError when the document's shape conflicts with the target paths.
std::vector<std::pair<uint64_t, CurrentEntry>> read_entries(const iu::yamledit::Document& doc,
                                                            const Target& target,
                                                            const Intent& intent);

}  // namespace iu::gitwb
