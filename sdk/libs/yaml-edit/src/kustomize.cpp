#include "iu/yamledit/kustomize.hpp"

namespace iu::yamledit {

bool set_kustomize_image(Document& doc, const KustomizeImage& image) {
  if (image.name.empty()) throw EditError("kustomize image entry needs a name");
  const Path images{"images"};
  std::vector<Field> fields{{"name", Value(image.name)}};
  if (!image.new_name.empty()) fields.push_back({"newName", Value(image.new_name)});
  if (!image.new_tag.empty()) fields.push_back({"newTag", Value(image.new_tag)});
  if (!image.digest.empty()) fields.push_back({"digest", Value(image.digest)});

  Document work = doc;
  bool changed = work.upsert_entry(images, "name", image.name, fields, Missing::kCreate);
  if (image.digest.empty()) {
    for (std::size_t i = 0; i < work.list_size(images); ++i) {
      const Path entry = images.index(i);
      if (work.type_at(entry) != NodeType::kMapping) continue;
      if (work.get_scalar(entry.key("name")) != image.name) continue;
      changed |= work.remove_key(entry.key("digest"));
    }
  }
  if (changed) doc = std::move(work);
  return changed;
}

}  // namespace iu::yamledit
