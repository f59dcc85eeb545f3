#include "engine/app_processor.hpp"

#include <mutex>
#include <set>

#include "engine/live_versions.hpp"
#include "engine/source_select.hpp"
#include "log/log.hpp"
#include "registry/registry_service.hpp"
#include "registry/update_decision.hpp"

namespace iu::engine {
namespace {

// True the first time `key` is seen in this process.
bool first_time(const std::string& key) {
  static std::mutex mu;
  static std::set<std::string> seen;
  std::lock_guard lock(mu);
  return seen.insert(key).second;
}

// `https://host/x.git/` and `https://host/x` name the same repository.
std::string normalize_repo_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() > 4 && url.compare(url.size() - 4, 4, ".git") == 0) url.resize(url.size() - 4);
  return url;
}

// Git credentials from Secrets (SPEC §9.4): `git:secret:[ns/]name`, or Argo CD's repository /
// repo-creds Secrets in the Argo CD namespace for `git` / `git:repocreds`.
void add_git_credentials(const config::ManagedApplication& app, const ProcessContext& ctx,
                         const std::string& repository, WriteIntent& intent) {
  const config::Secret* secret = nullptr;
  const auto& m = app.write_back.method;
  if (m.git_credentials == config::WriteBackMethod::GitCredentials::kSecret) {
    secret = ctx.snapshot->find_secret(m.secret_namespace, m.secret_name);
    if (secret == nullptr)
      throw std::runtime_error(app.app->ref.display() + ": writeBackConfig.method: Secret " +
                               m.secret_namespace + "/" + m.secret_name + " not found");
  } else {
    const std::string want = normalize_repo_url(repository);
    size_t best = 0;
    for (const auto& s : ctx.snapshot->secrets) {
      if (s.ref.ns != ctx.argocd_namespace) continue;
      auto type = s.labels.find("argocd.argoproj.io/secret-type");
      auto url = s.data.find("url");
      if (type == s.labels.end() || url == s.data.end()) continue;
      std::string u = normalize_repo_url(url->second);
      if (type->second == "repository" && u == want) {
        secret = &s;
        break;
      }
      if (type->second == "repo-creds" && want.rfind(u, 0) == 0 && u.size() > best) {
        best = u.size();
        secret = &s;
      }
    }
  }
  if (secret == nullptr) return;  // anonymous (e.g. git daemon, file://)
  auto get = [&](const char* k) {
    auto it = secret->data.find(k);
    return it == secret->data.end() ? std::string() : it->second;
  };
  if (auto key = get("sshPrivateKey"); !key.empty()) intent.set("git_ssh_private_key", key);
  if (auto user = get("username"); !user.empty()) intent.set("git_username", user);
  if (auto pass = get("password"); !pass.empty()) intent.set("git_password", pass);
}

}  // namespace

WriteIntent base_intent(const config::ManagedApplication& app, const ProcessContext& ctx,
                        std::string* source_type) {
  std::string why;
  auto selected = select_source(app, &why);
  if (!selected)
    throw std::runtime_error("skipping app '" + app.app->ref.ns + "/" + app.app->ref.name +
                             "': " + why);
  const config::ApplicationSource& src = *selected->source;
  *source_type = selected->type;
  WriteIntent intent;
  intent.app_namespace = app.app->ref.ns;
  intent.app_name = app.app->ref.name;
  const auto& wb = app.write_back;
  intent.method = wb.method.text.empty() ? wb.method.plugin : wb.method.text;
  std::string repository = wb.repository.value_or(src.repo_url);
  if (wb.method.plugin == "git" && !wb.repository && !src.chart.empty())
    throw std::runtime_error(app.app->ref.display() +
                             ": writeBackConfig.gitConfig.repository: required for a Helm chart "
                             "repository source");
  intent.set("repository", repository);
  intent.set("branch", wb.branch_text);
  intent.set("target_revision", src.target_revision);
  intent.set("write_back_target", wb.target_text);
  intent.set("source_path", src.path);
  intent.set("source_type", selected->type);
  intent.set("source_field", src.field);  // writeback-argocd: which source of the object
  intent.set("argocd_namespace", ctx.argocd_namespace);
  // The `argocd` write-back of the dir source edits the Application inside this file (§4.3).
  if (ctx.source == config::SourceKind::kDir) intent.set("application_file", app.app->ref.file);
  if (ctx.dry_run) intent.set("dry_run", "true");
  if (wb.method.plugin == "git") add_git_credentials(app, ctx, repository, intent);
  return intent;
}

AppOutcome process_application(const config::ManagedApplication& app, ProcessContext& ctx) {
  AppOutcome out;
  out.app_namespace = app.app->ref.ns;
  out.app_name = app.app->ref.name;
  out.write_plugin = app.write_back.method.plugin.empty() ? "argocd" : app.write_back.method.plugin;
  if (app.skipped) {
    out.skipped = true;
    return out;
  }
  std::string source_type;
  WriteIntent intent;
  try {
    intent = base_intent(app, ctx, &source_type);
  } catch (const std::exception& e) {
    out.skipped = true;
    out.error = e.what();
    // An unsupported or unusable application stays so until its spec changes: one warning
    // per application and message, not one per pass (repeats at debug).
    if (first_time(out.app_namespace + "/" + out.app_name + "\n" + out.error))
      log::warn(e.what(), {{"application", out.app_name}});
    else
      log::debug(e.what(), {{"application", out.app_name}});
    return out;
  }

  // Live versions.
  std::vector<std::optional<model::ImageRef>> live;
  try {
    if (ctx.source != config::SourceKind::kDir) {
      live = live_from_status(app);
    } else if (out.write_plugin == "argocd") {
      std::string why;
      live = live_from_source(app, *select_source(app, &why)->source, source_type);
    } else {
      WriteIntent probe = intent;
      for (const auto& img : app.images)
        probe.changes.push_back(
            ImageChange{img.alias, model::full_name(img.ref), "", "", "", target_settings(img)});
      live = live_from_target(app, ctx.writeback(out.write_plugin), probe);
    }
  } catch (const std::exception& e) {
    out.error = std::string("Could not read the current image versions: ") + e.what();
    out.errors = 1;
    log::error(out.error, {{"application", out.app_name}});
    return out;
  }

  for (size_t i = 0; i < app.images.size(); ++i) {
    const config::ImageConfig& img = app.images[i];
    const ImageTarget* pushed = ctx.scope ? ctx.scope->match(img.ref) : nullptr;
    if (ctx.scope && !pushed) continue;  // not named by the webhook: left as it is
    ImageOutcome io;
    io.alias = img.alias;
    io.image = model::full_name(img.ref);
    ++out.considered;
    const std::optional<model::ImageRef>& deployed = live[i];
    if (!deployed && !img.force_update) {
      log::debug("Image '" + io.image + "' seems not to be live in this application, skipping",
                 {{"application", out.app_name}, {"image_name", io.image}});
      io.message = "not live";
      ++out.skipped_images;
      out.images.push_back(io);
      continue;
    }
    try {
      const plugin_host::StrategyInstance& strategy = ctx.strategy(img.strategy);
      registry::ImageCheck check;
      check.image = img.ref;
      check.strategy = &strategy;
      check.filter = img.filter;
      if (img.platforms_explicit) check.platforms = img.platforms;
      if (img.pull_secret) check.pull_secret = img.pull_secret->text;
      if (deployed) check.live_tag = deployed->version;
      if (pushed) {
        check.webhook = true;
        check.fresh_tags.assign(pushed->tags.begin(), pushed->tags.end());
      }
      registry::CheckResult r = ctx.registry->check(check);
      if (!r.selection.winner) {
        log::warn(
            "no tags matched: " + r.selection.reason,
            {{"application", out.app_name}, {"image_name", io.image}, {"image_alias", img.alias}});
        io.message = "no matching tags: " + r.selection.reason;
        ++out.skipped_images;
        out.images.push_back(io);
        continue;
      }
      registry::DecisionInput in;
      in.image = img.ref;
      in.live = img.force_update ? std::nullopt : deployed;
      in.force_update = img.force_update;
      in.kustomize_name = img.target.kustomize ? img.target.kustomize->name : "";
      in.result = strategy.result();
      in.chosen_tag = r.selection.winner->tag;
      in.chosen_digest = r.selection.winner->digest;
      registry::Decision d = registry::decide_update(in);
      io.old_version = deployed ? model::tag_with_digest(*deployed) : "";
      io.new_version = registry::written_version(d);
      if (!d.update) {
        io.result = ImageOutcome::Result::unchanged;
        log::debug("Image '" + io.image + "' is up to date",
                   {{"application", out.app_name}, {"image_tag", io.old_version}});
      } else {
        io.result = ImageOutcome::Result::update;
        log::info("Setting new image to " + io.image + ":" + io.new_version,
                  {{"application", out.app_name},
                   {"image_name", io.image},
                   {"image_alias", img.alias},
                   {"image_tag", io.old_version}});
        intent.changes.push_back(ImageChange{img.alias, io.image, d.old_version, d.new_tag,
                                             d.new_digest, target_settings(img)});
      }
    } catch (const std::exception& e) {
      io.result = ImageOutcome::Result::error;
      io.message = e.what();
      ++out.errors;
      log::error(
          std::string("Could not check image: ") + e.what(),
          {{"application", out.app_name}, {"image_name", io.image}, {"image_alias", img.alias}});
    }
    out.images.push_back(io);
  }
  if (!intent.changes.empty()) out.intent = std::move(intent);
  return out;
}

}  // namespace iu::engine
