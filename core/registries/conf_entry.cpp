#include "registries/conf_entry.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <set>

#include "credentials/credential_ref.hpp"
#include "model/image_ref.hpp"
#include "registries/hosts.hpp"
#include "util/duration.hpp"

namespace iu::registries::detail {
namespace {

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string_view kind_of(const YAML::Node& v) {
  if (v.IsMap()) return "a mapping";
  if (v.IsSequence()) return "a list";
  return "a scalar";
}

// Reads one value of entry `index`, naming `key` in errors.
class Field {
 public:
  // `at` locates errors; by default the value itself.
  Field(const ParseContext& ctx, int index, std::string key, const YAML::Node& value)
      : Field(ctx, index, std::move(key), value, value) {}
  Field(const ParseContext& ctx, int index, std::string key, const YAML::Node& value,
        const YAML::Node& at)
      : ctx_(ctx), where_("registries[" + std::to_string(index) + "]." + key), v_(value), at_(at) {}

  [[noreturn]] void fail(const std::string& problem) const {
    detail::fail(ctx_, where_, problem, at_);
  }

  // nullopt for null (unset).
  std::optional<std::string> text() const {
    if (v_.IsNull()) return std::nullopt;
    if (!v_.IsScalar()) fail("expected a string, found " + std::string(kind_of(v_)));
    return v_.Scalar();
  }

  std::optional<bool> boolean() const {
    auto t = text();
    if (!t) return std::nullopt;
    bool out = false;
    if (!YAML::convert<bool>::decode(v_, out)) fail("invalid boolean " + quote(*t));
    return out;
  }

  std::optional<double> number() const {
    auto t = text();
    if (!t) return std::nullopt;
    std::string_view s = *t;
    if (s.starts_with('+')) s.remove_prefix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value))
      fail("invalid number " + quote(*t));
    return value;
  }

  std::optional<int> integer() const {
    auto t = text();
    if (!t) return std::nullopt;
    std::string_view s = *t;
    if (s.starts_with('+')) s.remove_prefix(1);
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      fail("invalid integer " + quote(*t));
    return value;
  }

 private:
  const ParseContext& ctx_;
  std::string where_;
  const YAML::Node& v_;
  const YAML::Node& at_;
};

bool is_plugin_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

// What the entry said, before defaults and cross-field checks.
struct RawEntry {
  Endpoint e;
  bool has_defaultns = false, has_plugin = false;
  YAML::Node api_url_node, prefix_node, credentials_node, ca_file_node, ca_data_node;
  std::string api_url, prefix;
};

// Reads `key` into `raw`; false when the key is unknown.
bool read_key(RawEntry& raw, const std::string& key, const Field& f, const YAML::Node& value,
              const ParseContext& ctx) {
  Endpoint& e = raw.e;
  if (key == "name") {
    e.name = f.text().value_or("");
    if (e.name.empty()) f.fail("must not be empty");
  } else if (key == "api_url") {
    raw.api_url = f.text().value_or("");
    if (raw.api_url.empty()) f.fail("must not be empty");
    raw.api_url_node = value;
  } else if (key == "prefix") {
    raw.prefix = f.text().value_or("");
    raw.prefix_node = value;
  } else if (key == "default") {
    e.is_default = f.boolean().value_or(false);
  } else if (key == "defaultns") {
    auto ns = f.text();
    raw.has_defaultns = ns.has_value();
    e.defaultns = ns.value_or("");
    if (e.defaultns.starts_with('/') || e.defaultns.ends_with('/') ||
        e.defaultns.find_first_of(" \t\r\n") != std::string::npos)
      f.fail("invalid namespace " + quote(e.defaultns));
  } else if (key == "credentials") {
    e.credentials = f.text().value_or("");
    std::string error;
    if (!e.credentials.empty() && !credentials::parse_ref(e.credentials, &error)) f.fail(error);
  } else if (key == "credsexpire") {
    auto t = f.text();
    if (!t) return true;
    std::string error;
    auto d = util::parse_duration(*t, &error);
    if (!d) f.fail(error);
    if (d->count() < 0) f.fail("negative duration " + quote(*t));
    e.credsexpire = *d;
  } else if (key == "insecure") {
    e.insecure = f.boolean().value_or(false);
  } else if (key == "ca_file") {
    e.ca_file = f.text().value_or("");
    raw.ca_file_node = value;
  } else if (key == "ca_data") {
    e.ca_data = f.text().value_or("");
    raw.ca_data_node = value;
  } else if (key == "limit") {
    e.limit = f.number().value_or(20);
    if (e.limit < 0) f.fail("negative value " + f.text().value_or("") + " (0 means unlimited)");
  } else if (key == "tagsortmode") {
    e.tagsortmode = f.text().value_or("none");
    if (e.tagsortmode != "none" && e.tagsortmode != "latest-first" &&
        e.tagsortmode != "latest-last" && e.tagsortmode != "pushed")
      f.fail("invalid value " + quote(e.tagsortmode) +
             " (expected none, latest-first, latest-last or pushed)");
  } else if (key == "ping") {
    f.boolean();  // still type-checked
    ctx.warnings->push_back(std::string(ctx.source) +
                            ": key \"ping\" is accepted for compatibility and has no effect");
  } else if (key == "max_inflight") {
    e.max_inflight = f.integer().value_or(30);
    if (e.max_inflight < 1) f.fail("must be at least 1, got " + std::to_string(e.max_inflight));
  } else if (key == "plugin") {
    auto p = f.text();
    raw.has_plugin = p.has_value();
    e.plugin = p.value_or("docker-v2");
    if (!is_plugin_name(e.plugin))
      f.fail("invalid plugin name " + quote(e.plugin) + " (expected [a-z0-9._-]+)");
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return {};
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return {};
  return " (line " + std::to_string(mark.line + 1) + ")";
}

void fail(const ParseContext& ctx, const std::string& where, const std::string& problem,
          const YAML::Node& at) {
  throw ConfigError(std::string(ctx.source) + ": " + where + ": " + problem + line_of(at));
}

Endpoint parse_entry(const YAML::Node& node, int index, const ParseContext& ctx) {
  const std::string where = "registries[" + std::to_string(index) + "]";
  if (!node.IsMap())
    fail(ctx, where, "expected a mapping, found " + std::string(kind_of(node)), node);
  RawEntry raw;
  raw.e.index = index;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) fail(ctx, where, "keys must be strings", kv.first);
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) fail(ctx, where, "duplicate key " + quote(key), kv.first);
    // A null value has no position of its own (yaml-cpp marks the next token): use the key's.
    const YAML::Node& at = kv.second.IsNull() ? kv.first : kv.second;
    if (!read_key(raw, key, Field(ctx, index, key, kv.second, at), kv.second, ctx))
      fail(ctx, where, "unknown key " + quote(key), kv.first);
  }

  Endpoint& e = raw.e;
  if (e.name.empty()) fail(ctx, where, "missing required key \"name\"", node);
  if (raw.api_url.empty()) fail(ctx, where, "missing required key \"api_url\"", node);
  std::string error;
  auto url = parse_api_url(raw.api_url, &error);
  if (!url) fail(ctx, where + ".api_url", error, raw.api_url_node);
  e.api_url = url->text();
  if (!raw.prefix.empty()) {
    auto prefix = canonical_prefix(raw.prefix, &error);
    if (!prefix) fail(ctx, where + ".prefix", error, raw.prefix_node);
    e.prefix = *prefix;
  } else if (!e.is_default) {
    fail(ctx, where, "an entry without \"prefix\" must have \"default: true\"", node);
  }
  const bool hub = e.prefix.empty() ? model::is_docker_hub(url->host_port.host)
                                    : model::is_docker_hub(e.prefix.substr(0, e.prefix.find('/')));
  if (!raw.has_defaultns && hub) e.defaultns = "library";
  // SPEC §7.7: an ECR registry (named by the API host, or by the prefix when api_url points
  // elsewhere, e.g. a pull-through cache) uses the ecr plugin unless the entry names another.
  if (!raw.has_plugin &&
      (is_ecr_host(url->authority) ||
       (!e.prefix.empty() && is_ecr_host(e.prefix.substr(0, e.prefix.find('/'))))))
    e.plugin = "ecr";
  if (!e.insecure) {
    if (!e.ca_file.empty()) {
      if (std::string problem = check_pem_file(e.ca_file); !problem.empty())
        Field(ctx, index, "ca_file", raw.ca_file_node).fail(problem);
    }
    if (!e.ca_data.empty()) {
      if (std::string problem = check_pem_certificates(e.ca_data); !problem.empty())
        Field(ctx, index, "ca_data", raw.ca_data_node).fail(problem);
    }
  }
  return std::move(raw.e);
}

}  // namespace iu::registries::detail
