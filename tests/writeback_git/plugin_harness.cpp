#include "plugin_harness.hpp"

#include <stdexcept>

#include "plugin_host/instance.hpp"
#include "plugin_host/loader.hpp"

#ifndef IU_WRITEBACK_GIT_PLUGIN
#error "IU_WRITEBACK_GIT_PLUGIN must name the built writeback-git.so"
#endif

namespace iu::test::gitwb {
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

const iu::plugin_host::Implementation& git_writeback() {
  static iu::plugin_host::Catalog* catalog = [] {
    auto* c = new iu::plugin_host::Catalog();
    if (iu::plugin_host::load_file(IU_WRITEBACK_GIT_PLUGIN, *c) != 1) {
      std::string why;
      for (const auto& r : c->rejections()) why += r.reason + "\n";
      throw std::runtime_error("cannot load " + std::string(IU_WRITEBACK_GIT_PLUGIN) + ": " + why);
    }
    return c;
  }();
  return catalog->resolve(iu::plugin_host::Kind::writeback, "git");
}

std::unique_ptr<iu::plugin_host::WritebackInstance> make_instance(
    const std::map<std::string, std::string>& config) {
  const auto& impl = git_writeback();
  auto validated = iu::plugin_host::validate_config(impl, config, "writeback git");
  return std::make_unique<iu::plugin_host::WritebackInstance>(impl, validated);
}

std::vector<iu::plugin_host::WriteResult> write(const iu::plugin_host::WritebackInstance& wb,
                                                const Batch& batch) {
  auto ptrs = batch.pointers();
  return wb.write_batch(ptrs);
}

IntentSpec helm_values_intent(const std::string& repo_url, const std::string& app,
                              const std::string& new_tag, const std::string& branch) {
  IntentSpec spec;
  spec.app_name = app;
  spec.settings = {
      {"repository", repo_url},    {"branch", branch},      {"write_back_target", "helmvalues"},
      {"source_path", "helm/app"}, {"source_type", "Helm"}, {"argocd_namespace", "argocd"}};
  spec.changes = {ChangeSpec{"127.0.0.1:5000/org/app",
                             "1.0.0",
                             new_tag,
                             "",
                             {{"helm.name", "image.repository"}, {"helm.tag", "image.tag"}}}};
  return spec;
}

}  // namespace iu::test::gitwb
