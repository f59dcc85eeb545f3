// The runtime check that an edit changed nothing but what it meant to: the re-parsed first
// document must equal the original one outside the edit site. Internal header.
#pragma once

#include <cstddef>

#include "iu/yamledit/path.hpp"
#include "resolve.hpp"

namespace iu::yamledit::detail {

// What an edit is meant to change.
struct Change {
  enum class Kind {
    kReplace,     // the node at `at` is replaced (a scalar token, or a null by a collection)
    kAppend,      // the collection at `at` gains one entry (key/value pair or item) at its end
    kRemovePair,  // the mapping at `at` loses pair number `pair`
  };
  Kind kind = Kind::kReplace;
  Path at;
  std::size_t pair = 0;
};

// True when the first documents of `before` and `after` are equal (node kinds, scalar values,
// styles and tags, alias names, key order) except at the site `change` describes. Checking the
// site itself is the caller's business. An empty `before` matches anything.
bool only_changed(const Source& before, const Source& after, const Change& change);

}  // namespace iu::yamledit::detail
