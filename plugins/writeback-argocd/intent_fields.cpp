#include "intent_fields.hpp"

#include "iu/plugin.hpp"

namespace iu::argocdwb {

using iu::sdk::view;

std::string setting(const iu_write_intent& intent, std::string_view key) {
  for (uint64_t i = 0; i < intent.setting_count; ++i) {
    const iu_kv& kv = intent.settings[i];
    if (view(kv.key) == key) return std::string(view(kv.value));
  }
  return {};
}

std::vector<ImageEdit> edits_of(const iu_write_intent& intent) {
  std::vector<ImageEdit> out;
  for (uint64_t i = 0; i < intent.change_count; ++i) {
    const auto* c = IU_ELEMENT(iu_image_change, intent.changes, intent.changes_stride, i);
    ImageEdit e;
    e.alias = view(c->alias);
    e.image_name = view(c->image_name);
    e.new_tag = view(c->new_tag);
    e.new_digest = view(c->new_digest);
    for (uint64_t t = 0; t < c->target_count; ++t)
      e.target[std::string(view(c->target[t].key))] = std::string(view(c->target[t].value));
    out.push_back(std::move(e));
  }
  return out;
}

std::string application_display(const iu_write_intent& intent) {
  return "Application " + std::string(view(intent.app_namespace)) + "/" +
         std::string(view(intent.app_name));
}

}  // namespace iu::argocdwb
