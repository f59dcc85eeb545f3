#include "plugin_host/kinds.hpp"

#include <algorithm>

namespace iu::plugin_host {
namespace {

iu_str s(std::string_view v) { return iu_str{v.data(), v.size()}; }
std::string str(iu_str v) { return v.size == 0 ? std::string() : std::string(v.data, v.size); }
PlatformInfo platform(const iu_platform& p) {
  return PlatformInfo{str(p.os), str(p.architecture), str(p.variant)};
}

iu_credentials c_creds(const Credentials& c) {
  return iu_credentials{sizeof(iu_credentials), s(c.username), s(c.password), s(c.identity)};
}

void put_index(void* user, uint64_t i) { static_cast<std::vector<uint64_t>*>(user)->push_back(i); }

}  // namespace

// ---- registry ---------------------------------------------------------------------------

RegistryInstance::RegistryInstance(const Implementation& impl, ConfigMap config,
                                   std::string endpoint)
    : Instance(impl, std::move(config), std::move(endpoint)) {
  create(vt().create, vt().destroy);
}

const iu_registry_vtable& RegistryInstance::vt() const {
  return std::get<iu_registry_vtable>(implementation().vtable);
}

std::vector<TagInfo> RegistryInstance::list_tags(std::string_view repository,
                                                 const Credentials& creds) const {
  std::vector<TagInfo> out;
  iu_credentials c = c_creds(creds);
  iu_repo_request req{sizeof(iu_repo_request), s(repository), &c};
  iu_tag_sink sink{sizeof(iu_tag_sink), &out, [](void* u, const iu_tag_info* t) {
                     static_cast<std::vector<TagInfo>*>(u)->push_back(
                         TagInfo{str(t->tag), str(t->digest), t->pushed_at_ms});
                   }};
  invoke("list tags of " + std::string(repository),
         [&](iu_call* call) { return vt().list_tags(handle(), call, &req, &sink); });
  return out;
}

ManifestInfo RegistryInstance::get_manifest(std::string_view repository, const Credentials& creds,
                                            std::string_view reference, uint32_t flags) const {
  const std::string op = "manifest " + std::string(repository) + ":" + std::string(reference);
  if (vt().get_manifest == nullptr)
    throw PluginError(IU_STATUS_UNSUPPORTED, "registry \"" + implementation().name + "\": " + op +
                                                 ": this plugin does not provide it");
  ManifestInfo out;
  iu_credentials c = c_creds(creds);
  iu_repo_request req{sizeof(iu_repo_request), s(repository), &c};
  iu_manifest_sink sink{sizeof(iu_manifest_sink), &out, [](void* u, const iu_manifest_info* m) {
                          auto* o = static_cast<ManifestInfo*>(u);
                          o->digest = str(m->digest);
                          o->media_type = str(m->media_type);
                          o->is_index = m->is_index != 0;
                          o->config_digest = str(m->config_digest);
                          for (uint64_t i = 0; i < m->child_count; ++i) {
                            const auto* ch =
                                IU_ELEMENT(iu_manifest_child, m->children, m->children_stride, i);
                            o->children.push_back(ManifestInfo::Child{
                                str(ch->digest), str(ch->media_type), platform(ch->platform)});
                          }
                        }};
  invoke(op, [&](iu_call* call) {
    return vt().get_manifest(handle(), call, &req, s(reference), flags, &sink);
  });
  return out;
}

ImageConfigInfo RegistryInstance::get_image_config(std::string_view repository,
                                                   const Credentials& creds,
                                                   std::string_view config_digest) const {
  const std::string op =
      "config blob " + std::string(repository) + "@" + std::string(config_digest);
  if (vt().get_image_config == nullptr)
    throw PluginError(IU_STATUS_UNSUPPORTED, "registry \"" + implementation().name + "\": " + op +
                                                 ": this plugin does not provide it");
  ImageConfigInfo out;
  iu_credentials c = c_creds(creds);
  iu_repo_request req{sizeof(iu_repo_request), s(repository), &c};
  iu_image_config_sink sink{
      sizeof(iu_image_config_sink), &out, [](void* u, const iu_image_config* cfg) {
        auto* o = static_cast<ImageConfigInfo*>(u);
        o->created = str(cfg->created);
        o->platform = platform(cfg->platform);
        for (uint64_t i = 0; i < cfg->label_count; ++i)
          o->labels.emplace_back(str(cfg->labels[i].key), str(cfg->labels[i].value));
      }};
  invoke(op, [&](iu_call* call) {
    return vt().get_image_config(handle(), call, &req, s(config_digest), &sink);
  });
  return out;
}

// ---- strategy ---------------------------------------------------------------------------

StrategyInstance::StrategyInstance(const Implementation& impl, ConfigMap config)
    : Instance(impl, std::move(config)) {
  create(vt().create, vt().destroy);
}

const iu_strategy_vtable& StrategyInstance::vt() const {
  return std::get<iu_strategy_vtable>(implementation().vtable);
}

void StrategyInstance::validate(std::string_view version) const {
  if (vt().validate == nullptr) return;
  invoke("validate", [&](iu_call* call) { return vt().validate(handle(), call, s(version)); });
}

std::vector<uint64_t> StrategyInstance::rank(std::string_view version, std::string_view image,
                                             std::span<const Candidate> candidates,
                                             uint64_t max_results) const {
  std::vector<iu_tag_candidate> c;
  c.reserve(candidates.size());
  for (const auto& x : candidates)
    c.push_back(iu_tag_candidate{sizeof(iu_tag_candidate), s(x.tag), x.created_ms, s(x.digest),
                                 x.pushed_at_ms});
  iu_select_request req{sizeof(iu_select_request), s(version), s(image), c.data(), c.size(),
                        sizeof(iu_tag_candidate),  max_results};
  std::vector<uint64_t> out;
  iu_index_sink sink{sizeof(iu_index_sink), &out, &put_index};
  invoke("rank " + std::string(image),
         [&](iu_call* call) { return vt().rank(handle(), call, &req, &sink); });
  for (uint64_t i : out)
    if (i >= candidates.size())
      throw PluginError(IU_STATUS_INTERNAL, "strategy \"" + implementation().name +
                                                "\": rank returned index " + std::to_string(i) +
                                                " out of " + std::to_string(candidates.size()));
  if (max_results != 0 && out.size() > max_results) out.resize(max_results);
  return out;
}

// ---- scheduler --------------------------------------------------------------------------

SchedulerInstance::SchedulerInstance(const Implementation& impl, ConfigMap config)
    : Instance(impl, std::move(config)) {
  create(vt().create, vt().destroy);
}

const iu_scheduler_vtable& SchedulerInstance::vt() const {
  return std::get<iu_scheduler_vtable>(implementation().vtable);
}

std::vector<uint64_t> SchedulerInstance::order(int64_t now_ms,
                                               std::span<const SchedJob> jobs) const {
  std::vector<iu_sched_job> c;
  c.reserve(jobs.size());
  for (const auto& j : jobs)
    c.push_back(iu_sched_job{sizeof(iu_sched_job), s(j.app_namespace), s(j.app_name),
                             s(j.repository), j.last_attempt_ms, j.last_success_ms,
                             j.last_failure_ms, j.last_result});
  iu_sched_request req{sizeof(iu_sched_request), now_ms, c.data(), c.size(), sizeof(iu_sched_job)};
  std::vector<uint64_t> out;
  iu_index_sink sink{sizeof(iu_index_sink), &out, &put_index};
  invoke("order", [&](iu_call* call) { return vt().order(handle(), call, &req, &sink); });
  std::vector<bool> seen(jobs.size(), false);
  for (uint64_t i : out) {
    if (i >= jobs.size() || seen[i])
      throw PluginError(IU_STATUS_INTERNAL, "scheduler \"" + implementation().name +
                                                "\": order returned invalid or repeated index " +
                                                std::to_string(i));
    seen[i] = true;
  }
  return out;
}

// ---- writeback --------------------------------------------------------------------------

WritebackInstance::WritebackInstance(const Implementation& impl, ConfigMap config)
    : Instance(impl, std::move(config)) {
  create(vt().create, vt().destroy);
}

const iu_writeback_vtable& WritebackInstance::vt() const {
  return std::get<iu_writeback_vtable>(implementation().vtable);
}

std::string WritebackInstance::batch_key(const iu_write_intent& intent) const {
  if (vt().batch_key == nullptr) return {};
  std::string out;
  iu_str_sink sink{sizeof(iu_str_sink), &out,
                   [](void* u, iu_str v) { *static_cast<std::string*>(u) = str(v); }};
  invoke("batch key",
         [&](iu_call* call) { return vt().batch_key(handle(), call, &intent, &sink); });
  return out;
}

std::vector<WriteResult> WritebackInstance::write_batch(
    std::span<const iu_write_intent* const> intents) const {
  std::vector<std::optional<WriteResult>> got(intents.size());
  iu_write_result_sink sink{
      sizeof(iu_write_result_sink), &got, [](void* u, const iu_write_result* r) {
        auto* g = static_cast<std::vector<std::optional<WriteResult>>*>(u);
        if (r->intent_index < g->size())
          (*g)[r->intent_index] =
              WriteResult{r->intent_index, r->status, str(r->message), r->changes_applied};
      }};
  invoke("write batch", [&](iu_call* call) {
    return vt().write_batch(handle(), call, intents.data(), intents.size(), &sink);
  });
  std::vector<WriteResult> out;
  for (size_t i = 0; i < got.size(); ++i)
    out.push_back(got[i].value_or(WriteResult{
        i, IU_STATUS_INTERNAL,
        "writeback \"" + implementation().name + "\" reported no result for this intent", 0}));
  return out;
}

std::vector<std::optional<WritebackInstance::Current>> WritebackInstance::read_current(
    const iu_write_intent& intent) const {
  if (vt().read_current == nullptr)
    throw PluginError(IU_STATUS_UNSUPPORTED,
                      "writeback \"" + implementation().name +
                          "\": read current: this plugin does not provide it");
  std::vector<std::optional<Current>> out(intent.change_count);
  iu_current_sink sink{
      sizeof(iu_current_sink), &out, [](void* u, const iu_current_value* v) {
        auto* o = static_cast<std::vector<std::optional<Current>>*>(u);
        if (v->change_index < o->size())
          (*o)[v->change_index] = Current{str(v->image_name), str(v->tag), str(v->digest)};
      }};
  invoke("read current",
         [&](iu_call* call) { return vt().read_current(handle(), call, &intent, &sink); });
  return out;
}

}  // namespace iu::plugin_host
