#include "config/metadata.hpp"

#include <charconv>

#include "config/k8s_names.hpp"

namespace iu::config {
namespace {

std::string scalar_or_empty(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

ConfigIssue document_issue(const YAML::Node& document, const ParseOptions& options,
                           std::string_view kind, std::string message) {
  ObjectRef where;
  where.file = options.file;
  where.line = options.file.empty() ? 0 : yaml::line_of(document);
  where.column = options.file.empty() ? 0 : yaml::column_of(document);
  return make_issue(Scope::kSource, where, {}, std::string(kind) + ": " + message);
}

}  // namespace

DocumentKind classify(const YAML::Node& document) {
  if (!document.IsMap()) return DocumentKind::kOther;
  const std::string api = scalar_or_empty(yaml::Reader::child(document, "apiVersion"));
  const std::string kind = scalar_or_empty(yaml::Reader::child(document, "kind"));
  if (api == "argoproj.io/v1alpha1" && kind == "Application") return DocumentKind::kApplication;
  if (api == "argocd-image-updater.argoproj.io/v1alpha1" && kind == "ImageUpdater")
    return DocumentKind::kImageUpdater;
  if (api == "v1" && kind == "Secret") return DocumentKind::kSecret;
  return DocumentKind::kOther;
}

std::optional<Metadata> read_metadata(const YAML::Node& document, std::string_view kind,
                                      const ParseOptions& options, Scope scope,
                                      std::vector<ConfigIssue>* issues,
                                      std::vector<ConfigIssue>* object_errors) {
  const auto fail = [&](std::string message) -> std::optional<Metadata> {
    if (issues != nullptr) issues->push_back(document_issue(document, options, kind, message));
    return std::nullopt;
  };
  const YAML::Node meta = yaml::Reader::child(document, "metadata");
  if (!meta.IsMap()) return fail("metadata: required (a mapping with a name)");
  const YAML::Node name = yaml::Reader::child(meta, "name");
  if (!name.IsDefined()) return fail("metadata.name: required");
  if (!name.IsScalar() || yaml::scalar_kind(name) != "string" ||
      !k8s::is_dns_subdomain(name.Scalar()))
    return fail("metadata.name: invalid name \"" + scalar_or_empty(name) +
                "\": must be a lower-case DNS subdomain (RFC 1123)");
  Metadata out;
  out.ref.kind = std::string(kind);
  out.ref.name = name.Scalar();
  out.ref.ns = options.default_namespace;
  const YAML::Node ns = yaml::Reader::child(meta, "namespace");
  if (ns.IsDefined()) {
    if (!ns.IsScalar() || yaml::scalar_kind(ns) != "string" || !k8s::is_dns_label(ns.Scalar()))
      return fail("metadata.namespace: invalid namespace \"" + scalar_or_empty(ns) +
                  "\": must be a lower-case DNS label (RFC 1123)");
    out.ref.ns = ns.Scalar();
  }
  out.ref.file = options.file;
  if (!options.file.empty()) {
    out.ref.line = yaml::line_of(document);
    out.ref.column = yaml::column_of(document);
  }
  // Metadata holds many fields we do not use (uid, managedFields, ...): never strict here.
  yaml::Reader r(out.ref, scope, object_errors, /*strict=*/false);
  if (auto labels = r.string_map(meta, "metadata", "labels")) out.labels = std::move(*labels);
  if (auto annotations = r.string_map(meta, "metadata", "annotations"))
    out.annotations = std::move(*annotations);
  const YAML::Node generation = yaml::Reader::child(meta, "generation");
  if (generation.IsDefined()) {
    const std::string text = scalar_or_empty(generation);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out.generation);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
      r.error("metadata.generation", "expected an integer, found \"" + text + "\"");
  }
  return out;
}

}  // namespace iu::config
