// Application and Secret documents. Applications are read leniently (only the fields later
// stages use, unknown fields ignored: the object belongs to Argo CD, not to us); a field we use
// with the wrong shape makes the application unusable (scope kApplication).
#include <openssl/evp.h>

#include "config/metadata.hpp"
#include "config/objects.hpp"

namespace iu::config {
namespace {

using yaml::index;
using yaml::join;

// Any scalar as text (Argo CD stores these as strings; an unquoted number is still meant as
// text here), or an error for a mapping or list.
std::optional<std::string> text(yaml::Reader& r, const YAML::Node& parent, std::string_view path,
                                std::string_view key) {
  const YAML::Node node = yaml::Reader::child(parent, key);
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar()) return node.Scalar();
  r.error(join(path, key), "expected a string");
  return std::nullopt;
}

// The items of the list `parent[key]` that `accept` takes, converted by `get`; other items are
// errors saying what was `expected` ("a mapping", "a string"). A missing list is empty.
template <typename T, typename Accept, typename Get>
std::vector<T> list_items(yaml::Reader& r, const YAML::Node& parent, const std::string& path,
                          std::string_view key, Accept accept, const char* expected, Get get) {
  std::vector<T> out;
  const YAML::Node list = yaml::Reader::child(parent, key);
  if (!list.IsDefined()) return out;
  if (!list.IsSequence()) {
    r.error(join(path, key), "expected a list");
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (accept(list[i]))
      out.push_back(get(list[i]));
    else
      r.error(index(join(path, key), i), std::string("expected ") + expected);
  }
  return out;
}

// The items of the list `parent[key]` that are mappings; other shapes are errors.
std::vector<YAML::Node> list_of_maps(yaml::Reader& r, const YAML::Node& parent,
                                     const std::string& path, std::string_view key) {
  return list_items<YAML::Node>(
      r, parent, path, key, [](const YAML::Node& n) { return n.IsMap(); }, "a mapping",
      [](const YAML::Node& n) { return n; });
}

std::vector<std::string> scalar_list(yaml::Reader& r, const YAML::Node& parent,
                                     const std::string& path, std::string_view key) {
  return list_items<std::string>(
      r, parent, path, key, [](const YAML::Node& n) { return n.IsScalar(); }, "a string",
      [](const YAML::Node& n) { return n.Scalar(); });
}

ApplicationSource read_source(yaml::Reader& r, const YAML::Node& node, const std::string& path) {
  ApplicationSource out;
  out.field = path;
  if (!r.mapping(node, path, {})) {
    if (yaml::is_absent(node)) r.error(path, "expected a mapping, found null");
    return out;
  }
  out.repo_url = text(r, node, path, "repoURL").value_or("");
  out.path = text(r, node, path, "path").value_or("");
  out.target_revision = text(r, node, path, "targetRevision").value_or("");
  out.chart = text(r, node, path, "chart").value_or("");
  const std::string helm_path = join(path, "helm");
  const YAML::Node helm = yaml::Reader::child(node, "helm");
  if (r.mapping(helm, helm_path, {})) {
    out.has_helm = true;
    const std::string p = join(helm_path, "parameters");
    for (const YAML::Node& param : list_of_maps(r, helm, helm_path, "parameters")) {
      HelmParameter hp;
      hp.name = text(r, param, p, "name").value_or("");
      hp.value = text(r, param, p, "value").value_or("");
      hp.force_string = r.boolean(param, p, "forceString").value_or(false);
      out.helm_parameters.push_back(std::move(hp));
    }
  }
  const std::string kustomize_path = join(path, "kustomize");
  const YAML::Node kustomize = yaml::Reader::child(node, "kustomize");
  if (r.mapping(kustomize, kustomize_path, {})) {
    out.has_kustomize = true;
    out.kustomize_images = scalar_list(r, kustomize, kustomize_path, "images");
  }
  const std::string plugin_path = join(path, "plugin");
  const YAML::Node plugin = yaml::Reader::child(node, "plugin");
  if (r.mapping(plugin, plugin_path, {})) {
    out.has_plugin = true;
    const std::string p = join(plugin_path, "env");
    for (const YAML::Node& env : list_of_maps(r, plugin, plugin_path, "env"))
      out.plugin_env.push_back(
          {text(r, env, p, "name").value_or(""), text(r, env, p, "value").value_or("")});
  }
  return out;
}

// Standard base64 with padding, as the API server requires for Secret data.
std::optional<std::string> decode_base64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;  // EVP would wait for the rest of a quantum
  std::string out(in.size() / 4 * 3 + 3, '\0');
  EVP_ENCODE_CTX* ctx = EVP_ENCODE_CTX_new();
  if (ctx == nullptr) return std::nullopt;
  EVP_DecodeInit(ctx);
  int n = 0, tail = 0;
  const int rc = EVP_DecodeUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
  const int final_rc =
      rc < 0 ? -1 : EVP_DecodeFinal(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail);
  EVP_ENCODE_CTX_free(ctx);
  if (rc < 0 || final_rc < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n + tail));
  return out;
}

}  // namespace

std::optional<Application> parse_application(const YAML::Node& document,
                                             const ParseOptions& options,
                                             std::vector<ConfigIssue>* issues) {
  Application out;
  auto meta =
      read_metadata(document, "Application", options, Scope::kApplication, issues, &out.errors);
  if (!meta) return std::nullopt;
  out.ref = meta->ref;
  out.labels = std::move(meta->labels);
  out.annotations = std::move(meta->annotations);
  out.document_index = options.document_index;
  if (options.keep_document) out.document = std::make_shared<const YAML::Node>(document);
  yaml::Reader r(out.ref, Scope::kApplication, &out.errors, /*strict=*/false);

  const YAML::Node spec = yaml::Reader::child(document, "spec");
  if (r.mapping(spec, "spec", {})) {
    out.project = text(r, spec, "spec", "project").value_or("");
    if (const YAML::Node source = yaml::Reader::child(spec, "source"); source.IsDefined())
      out.sources.push_back(read_source(r, source, "spec.source"));
    const YAML::Node sources = yaml::Reader::child(spec, "sources");
    if (sources.IsDefined() && !sources.IsSequence()) {
      r.error("spec.sources", "expected a list");
    } else if (sources.IsDefined() && sources.size() > 0) {
      // Argo CD ignores spec.source when spec.sources is set.
      out.sources.clear();
      out.multi_source = true;
      for (std::size_t i = 0; i < sources.size(); ++i)
        out.sources.push_back(read_source(r, sources[i], index("spec.sources", i)));
    }
    const YAML::Node hydrator = yaml::Reader::child(spec, "sourceHydrator");
    if (r.mapping(hydrator, "spec.sourceHydrator", {})) {
      const YAML::Node dry = yaml::Reader::child(hydrator, "drySource");
      if (dry.IsDefined()) out.dry_source = read_source(r, dry, "spec.sourceHydrator.drySource");
    }
  }
  if (out.project.empty()) out.project = "default";

  const YAML::Node status = yaml::Reader::child(document, "status");
  if (r.mapping(status, "status", {})) {
    if (auto type = text(r, status, "status", "sourceType")) out.source_types.push_back(*type);
    if (yaml::Reader::child(status, "sourceTypes").IsDefined())
      out.source_types = scalar_list(r, status, "status", "sourceTypes");
    const YAML::Node summary = yaml::Reader::child(status, "summary");
    if (r.mapping(summary, "status.summary", {}))
      out.live_images = scalar_list(r, summary, "status.summary", "images");
  }
  return out;
}

std::optional<Secret> parse_secret(const YAML::Node& document, const ParseOptions& options,
                                   std::vector<ConfigIssue>* issues) {
  std::vector<ConfigIssue> errors;
  auto meta = read_metadata(document, "Secret", options, Scope::kSource, issues, &errors);
  if (!meta) return std::nullopt;
  Secret out;
  out.ref = meta->ref;
  out.labels = std::move(meta->labels);
  yaml::Reader r(out.ref, Scope::kSource, &errors, /*strict=*/false);
  out.type = r.string(document, "", "type").value_or("Opaque");
  if (auto data = r.string_map(document, "", "data")) {
    for (auto& [key, encoded] : *data) {
      // Never quote the value: it is secret.
      if (auto decoded = decode_base64(encoded))
        out.data[key] = std::move(*decoded);
      else
        r.error("data[\"" + key + "\"]", "invalid base64");
    }
  }
  if (auto plain = r.string_map(document, "", "stringData"))
    for (auto& [key, value] : *plain) out.data[key] = std::move(value);
  if (!errors.empty()) {
    if (issues != nullptr) issues->insert(issues->end(), errors.begin(), errors.end());
    return std::nullopt;
  }
  return out;
}

}  // namespace iu::config
