#include "engine/write_intent.hpp"

namespace iu::engine {
namespace {
iu_str s(const std::string& v) { return iu_str{v.data(), v.size()}; }
}  // namespace

void WriteIntent::set(const std::string& key, std::string value) {
  for (auto& [k, v] : settings)
    if (k == key) {
      v = std::move(value);
      return;
    }
  settings.emplace_back(key, std::move(value));
}

std::string WriteIntent::get(const std::string& key) const {
  for (const auto& [k, v] : settings)
    if (k == key) return v;
  return {};
}

const iu_write_intent& WriteIntent::view() const {
  settings_kv_.clear();
  for (const auto& [k, v] : settings) settings_kv_.push_back(iu_kv{s(k), s(v)});
  target_kv_.assign(changes.size(), {});
  changes_c_.clear();
  for (size_t i = 0; i < changes.size(); ++i) {
    const ImageChange& c = changes[i];
    for (const auto& [k, v] : c.target) target_kv_[i].push_back(iu_kv{s(k), s(v)});
    changes_c_.push_back(iu_image_change{sizeof(iu_image_change), s(c.alias), s(c.image_name),
                                         s(c.old_tag), s(c.new_tag), s(c.new_digest),
                                         target_kv_[i].data(), target_kv_[i].size()});
  }
  c_ = iu_write_intent{sizeof(iu_write_intent),
                       s(app_namespace),
                       s(app_name),
                       s(method),
                       settings_kv_.data(),
                       settings_kv_.size(),
                       changes_c_.data(),
                       changes_c_.size(),
                       sizeof(iu_image_change),
                       iu_str{nullptr, 0}};
  return c_;
}

}  // namespace iu::engine
