#include "config/resolve_app.hpp"

#include "config/annotations.hpp"
#include "config/effective.hpp"

namespace iu::config {
namespace {

std::optional<std::string> check_plugin(const MatchOptions& options, std::string_view plugin) {
  return options.check_write_back ? options.check_write_back(plugin)
                                  : builtin_write_back_check(plugin);
}

// Checks what parsing could not (the plugin is loaded; a `git:secret:<ns>/…` names the required
// namespace) and fills in the default Secret namespace. False after reporting a problem.
bool finish_write_back(WriteBackConfig& wb, const ObjectRef& object, Scope scope,
                       const MatchOptions& options, const std::optional<std::string>& required_ns,
                       const std::string& default_ns, std::vector<ConfigIssue>* issues) {
  if (auto error = check_plugin(options, wb.method.plugin)) {
    issues->push_back(make_issue(scope, object, wb.method_field, *error));
    return false;
  }
  if (wb.method.git_credentials != WriteBackMethod::GitCredentials::kSecret) return true;
  if (required_ns && !wb.method.secret_namespace.empty() &&
      wb.method.secret_namespace != *required_ns) {
    issues->push_back(make_issue(scope, object, wb.method_field,
                                 "write-back method \"" + wb.method.text +
                                     "\" must name a Secret in the ImageUpdater's namespace \"" +
                                     *required_ns + "\""));
    return false;
  }
  if (wb.method.secret_namespace.empty()) wb.method.secret_namespace = default_ns;
  return true;
}

const StrategyChecker& strategy_checker(const MatchOptions& options) {
  static const StrategyChecker builtin = builtin_strategy_check;
  return options.check_strategy ? options.check_strategy : builtin;
}

// Settings from the Application's annotations (legacy mode, or a useAnnotations ref).
void fill_from_annotations(ManagedApplication& m, const Application& app,
                           const MatchOptions& options,
                           const std::optional<std::string>& required_ns,
                           const std::string& default_ns,
                           const VerificationSettings& verification) {
  AnnotationConfig ann = read_annotations(app);
  m.issues.insert(m.issues.end(), ann.issues.begin(), ann.issues.end());
  auto wb = build_write_back(ann.write_back, app.ref, Scope::kApplication, &m.issues);
  if (!wb || !finish_write_back(*wb, app.ref, Scope::kApplication, options, required_ns, default_ns,
                                &m.issues)) {
    m.skipped = true;
    return;
  }
  m.write_back = std::move(*wb);
  for (AnnotatedImage& image : ann.images) {
    ImageSource source;
    source.object = &app.ref;
    source.field = source.image_name_field = image.field;
    source.alias = image.alias;
    source.image_name = image.image_name;
    source.ref = image.ref;
    source.secret_namespace = required_ns;
    if (auto built = build_image(source, image.settings, verification, image.target,
                                 strategy_checker(options), &m.issues))
      m.images.push_back(std::move(*built));
  }
}

}  // namespace

bool check_updater(const ImageUpdater& cr, const MatchOptions& options,
                   std::vector<ConfigIssue>* issues) {
  const std::size_t before = issues->size();
  const auto report = [&](const std::string& field, std::string message) {
    issues->push_back(make_issue(Scope::kUpdater, cr.ref, field, std::move(message)));
  };
  const auto check_write_back = [&](const WriteBackSettings& layer) {
    if (layer.method) {
      if (auto method = parse_write_back_method(layer.method->value)) {
        if (auto error = check_plugin(options, method->plugin)) report(layer.method->field, *error);
        if (method->git_credentials == WriteBackMethod::GitCredentials::kSecret &&
            !method->secret_namespace.empty() && method->secret_namespace != cr.ref.ns)
          report(layer.method->field, "write-back method \"" + method->text +
                                          "\" must name a Secret in the ImageUpdater's "
                                          "namespace \"" +
                                          cr.ref.ns + "\"");
      }
    }
    if (layer.pull_request && !options.pull_requests_supported)
      report(layer.pull_request->field, "not supported by this build");
  };
  const auto check_verification = [&](const VerificationSettings& layer) {
    if (layer.enabled && layer.enabled->value && !options.verification_supported)
      report(layer.enabled->field, "not supported by this build");
  };
  check_write_back(cr.write_back);
  check_verification(cr.verification);
  for (const ApplicationRefSpec& ref : cr.application_refs) {
    check_verification(ref.verification);
    if (ref.use_annotations) continue;
    check_write_back(ref.write_back);
    for (const ImageSpec& image : ref.images) check_verification(image.verification);
  }
  return issues->size() == before;
}

ManagedApplication build_from_ref(const Application& app, const ImageUpdater& cr,
                                  const ApplicationRefSpec& ref, const MatchOptions& options) {
  ManagedApplication m;
  m.app = &app;
  m.updater = cr.ref;
  m.ref_field = ref.field;
  m.use_annotations = ref.use_annotations;
  if (!app.valid()) {
    m.skipped = true;
    m.issues = app.errors;
    return m;
  }
  const std::optional<std::string> own_ns = cr.ref.ns;
  if (ref.use_annotations) {
    fill_from_annotations(m, app, options, own_ns, cr.ref.ns,
                          merge(cr.verification, ref.verification));
    return m;
  }
  auto wb =
      build_write_back(merge(cr.write_back, ref.write_back), cr.ref, Scope::kUpdater, &m.issues);
  if (!wb ||
      !finish_write_back(*wb, cr.ref, Scope::kUpdater, options, own_ns, cr.ref.ns, &m.issues)) {
    m.skipped = true;  // check_updater() rejects such CRs first; kept for safety
    return m;
  }
  m.write_back = std::move(*wb);
  const UpdateSettings ref_settings = merge(cr.settings, ref.settings);
  const VerificationSettings ref_verification = merge(cr.verification, ref.verification);
  for (const ImageSpec& image : ref.images) {
    ImageSource source;
    source.object = &cr.ref;
    source.field = image.field;
    source.image_name_field = image.field + ".imageName";
    source.alias = image.alias;
    source.image_name = image.image_name;
    source.secret_namespace = own_ns;
    std::string error;
    auto parsed = model::parse_image_spec(image.image_name, &error);
    if (parsed && !parsed->alias.empty())
      error = "invalid image reference \"" + image.image_name +
              "\": an alias is set with the alias field, not in imageName";
    if (!parsed || !parsed->alias.empty()) {
      m.issues.push_back(make_issue(Scope::kImage, cr.ref, source.image_name_field, error));
      continue;
    }
    source.ref = std::move(*parsed);
    if (auto built = build_image(source, merge(ref_settings, image.settings),
                                 merge(ref_verification, image.verification), image.target,
                                 strategy_checker(options), &m.issues))
      m.images.push_back(std::move(*built));
  }
  return m;
}

ManagedApplication build_from_annotations(const Application& app, const ObjectRef& legacy,
                                          const MatchOptions& options) {
  ManagedApplication m;
  m.app = &app;
  m.updater = legacy;
  m.use_annotations = true;
  if (!app.valid()) {
    m.skipped = true;
    m.issues = app.errors;
    return m;
  }
  // v0.x semantics: credential references may name any namespace.
  fill_from_annotations(m, app, options, std::nullopt, options.argocd_namespace, {});
  return m;
}

}  // namespace iu::config
