#include "plugin_harness.hpp"

#include <mutex>
#include <stdexcept>

#include "plugin_host/instance.hpp"
#include "plugin_host/loader.hpp"

namespace iu::test::wb {
namespace {

iu_str s(const std::string& v) { return iu_str{v.data(), v.size()}; }

}  // namespace

BuiltIntent::BuiltIntent(IntentSpec spec) : spec_(std::move(spec)) {
  for (const auto& [k, v] : spec_.settings) settings_.push_back(iu_kv{s(k), s(v)});
  targets_.reserve(spec_.changes.size());
  for (const ChangeSpec& c : spec_.changes) {
    std::vector<iu_kv> t;
    for (const auto& [k, v] : c.target) t.push_back(iu_kv{s(k), s(v)});
    targets_.push_back(std::move(t));
  }
  for (size_t i = 0; i < spec_.changes.size(); ++i) {
    const ChangeSpec& c = spec_.changes[i];
    iu_image_change ch{};
    ch.struct_size = sizeof(iu_image_change);
    ch.alias = s(c.alias);
    ch.image_name = s(c.image_name);
    ch.old_tag = s(c.old_tag);
    ch.new_tag = s(c.new_tag);
    ch.new_digest = s(c.new_digest);
    ch.target = targets_[i].data();
    ch.target_count = targets_[i].size();
    changes_.push_back(ch);
  }
  raw_.struct_size = sizeof(iu_write_intent);
  raw_.app_namespace = s(spec_.app_namespace);
  raw_.app_name = s(spec_.app_name);
  raw_.method = s(spec_.method);
  raw_.settings = settings_.data();
  raw_.setting_count = settings_.size();
  raw_.changes = changes_.data();
  raw_.change_count = changes_.size();
  raw_.changes_stride = sizeof(iu_image_change);
}

Batch& Batch::add(IntentSpec spec) {
  intents_.push_back(std::make_unique<BuiltIntent>(std::move(spec)));
  return *this;
}

std::vector<const iu_write_intent*> Batch::pointers() const {
  std::vector<const iu_write_intent*> out;
  for (const auto& i : intents_) out.push_back(&i->raw());
  return out;
}

const iu::plugin_host::Implementation& load_writeback(const std::string& path,
                                                      const std::string& name) {
  static std::mutex mu;
  // Never destroyed (plugins stay loaded until exit): a heap map reachable from this pointer,
  // so LeakSanitizer does not see the catalogs as lost when static destructors run.
  static auto* catalogs = new std::map<std::string, iu::plugin_host::Catalog*>();
  std::lock_guard lock(mu);
  iu::plugin_host::Catalog*& c = (*catalogs)[path];
  if (c == nullptr) {
    auto* fresh = new iu::plugin_host::Catalog();
    if (iu::plugin_host::load_file(path, *fresh) != 1) {
      std::string why;
      for (const auto& r : fresh->rejections()) why += r.reason + "\n";
      delete fresh;
      throw std::runtime_error("cannot load " + path + ": " + why);
    }
    c = fresh;
  }
  return c->resolve(iu::plugin_host::Kind::writeback, name);
}

std::unique_ptr<iu::plugin_host::WritebackInstance> make_instance(
    const iu::plugin_host::Implementation& impl, const std::map<std::string, std::string>& config) {
  auto validated = iu::plugin_host::validate_config(impl, config, "writeback " + impl.name);
  return std::make_unique<iu::plugin_host::WritebackInstance>(impl, validated);
}

std::vector<iu::plugin_host::WriteResult> write(const iu::plugin_host::WritebackInstance& wb,
                                                const Batch& batch) {
  auto ptrs = batch.pointers();
  return wb.write_batch(ptrs);
}

}  // namespace iu::test::wb
