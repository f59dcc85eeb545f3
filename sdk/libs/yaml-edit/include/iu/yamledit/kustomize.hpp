// The `images:` list of a kustomization as a write-back target (SPEC.md §9.5).
#pragma once

#include <string>

#include "iu/yamledit/document.hpp"

namespace iu::yamledit {

// One `images:` entry. Empty optional fields are not written.
struct KustomizeImage {
  std::string name;      // entry selector: `kustomize.name`, or the image name
  std::string new_name;  // `newName`: only when the configured name differs from `name`
  std::string new_tag;   // `newTag`
  std::string digest;    // `digest`: only for the digest strategy
};

// Upserts the `images:` entries whose `name` is image.name: `newName`, `newTag` and `digest` are
// set (replaced in their style, or appended to the entry). Without a digest, a stale `digest:`
// line of those entries is removed (the only line removal SPEC.md §9.5 permits). When no entry
// matches, `{name, [newName], newTag, [digest]}` is appended; a missing `images:` key is
// appended at the end of the document. Returns whether the bytes changed.
bool set_kustomize_image(Document& doc, const KustomizeImage& image);

}  // namespace iu::yamledit
