// Payload parsing per registry type (SPEC §12.2). Every malformed body is a 400 whose message
// names the type and the field: `invalid harbor payload: event_data.resources: empty`.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <stdexcept>

#include "webhook/webhook.hpp"

namespace iu::webhook {
namespace {

using rapidjson::Value;

// A field problem: caught in parse_payload and turned into a 400.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const Value* find(const Value& root, const std::string& path) {
  const Value* v = &root;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!v->IsObject()) return nullptr;
    auto it = v->FindMember(key.c_str());
    if (it == v->MemberEnd()) return nullptr;
    v = &it->value;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return v;
}

// A string field; "" when absent and optional.
std::string str(const Value& root, const std::string& path, bool required,
                const std::string& shown = {}) {
  const Value* v = find(root, path);
  const std::string& name = shown.empty() ? path : shown;
  if (v == nullptr || v->IsNull()) {
    if (required) throw Malformed(name + ": missing");
    return {};
  }
  if (!v->IsString()) throw Malformed(name + ": not a string");
  if (required && v->GetStringLength() == 0) throw Malformed(name + ": empty");
  return std::string(v->GetString(), v->GetStringLength());
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string host_of(const std::string& url_like) {
  std::string s = url_like;
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  return s.substr(0, s.find('/'));
}

std::string repo_full_name(const Value& root) {
  std::string full = str(root, "repository.repo_full_name", false);
  if (full.empty()) full = str(root, "repository.repo_name", false);
  if (!full.empty()) return full;
  std::string ns = str(root, "repository.namespace", false);
  std::string name = str(root, "repository.name", true);
  return ns.empty() ? name : ns + "/" + name;
}

void docker_hub(const Value& b, Outcome& o) {
  o.events.push_back({"docker.io", repo_full_name(b), str(b, "push_data.tag", true), ""});
}

void ghcr(const server::Request& r, const Value& b, Outcome& o) {
  auto ev = r.headers.find("x-github-event");
  if (ev == r.headers.end() || ev->second != "package" || str(b, "action", false) != "published" ||
      lower(str(b, "package.package_type", false)) != "container") {
    o.ignored = true;
    return;
  }
  std::string repo =
      lower(str(b, "package.owner.login", true)) + "/" + lower(str(b, "package.name", true));
  o.events.push_back(
      {"ghcr.io", repo, str(b, "package.package_version.container_metadata.tag.name", true), ""});
}

void quay(const Value& b, Outcome& o) {
  const Value* tags = find(b, "updated_tags");
  if (tags == nullptr || !tags->IsArray()) throw Malformed("updated_tags: missing");
  if (tags->Empty()) throw Malformed("updated_tags: empty");
  if (!(*tags)[0].IsString()) throw Malformed("updated_tags[0]: not a string");
  std::string host = host_of(str(b, "docker_url", true));
  o.events.push_back({host, str(b, "repository", true), (*tags)[0].GetString(), ""});
}

void harbor(const Value& b, Outcome& o) {
  if (str(b, "type", true) != "PUSH_ARTIFACT") {
    o.ignored = true;
    return;
  }
  const Value* res = find(b, "event_data.resources");
  if (res == nullptr || !res->IsArray()) throw Malformed("event_data.resources: missing");
  if (res->Empty()) throw Malformed("event_data.resources: empty");
  const Value& first = (*res)[0];
  o.events.push_back(
      {host_of(str(first, "resource_url", true, "event_data.resources[0].resource_url")),
       str(b, "event_data.repository.repo_full_name", true),
       str(first, "tag", false, "event_data.resources[0].tag"),
       str(first, "digest", false, "event_data.resources[0].digest")});
}

void aliyun(const server::Request& r, const Value& b, Outcome& o) {
  std::string registry;
  if (auto q = r.query.find("registry_url"); q != r.query.end() && !q->second.empty()) {
    registry = host_of(q->second);
  } else {
    registry = "registry." + str(b, "repository.region", true) + ".aliyuncs.com";
  }
  o.events.push_back({registry, repo_full_name(b), str(b, "push_data.tag", true), ""});
}

void acr(const Value& b, Outcome& o) {
  if (str(b, "action", true) != "push") {
    o.ignored = true;
    return;
  }
  o.events.push_back({str(b, "request.host", true), str(b, "target.repository", true),
                      str(b, "target.tag", false), str(b, "target.digest", false)});
}

void cloudevent(const server::Request& r, const Value& b, Outcome& o) {
  // Binary mode carries the attributes in ce-* headers and the data as the body.
  bool binary = r.headers.count("ce-type") != 0;
  auto attr = [&](const std::string& name) {
    if (binary) {
      auto it = r.headers.find("ce-" + name);
      if (it == r.headers.end() || it->second.empty()) throw Malformed(name + ": missing");
      return it->second;
    }
    return str(b, name, true);
  };
  std::string type = attr("type");
  const Value* data = binary ? &b : find(b, "data");
  std::string prefix = binary ? "" : "data.";
  if (data == nullptr || !data->IsObject()) throw Malformed("data: missing");
  if (type.rfind("com.amazon.ecr.", 0) == 0) {
    // source: "arn:aws:ecr:<region>:<account>:repository/<name>" (colon-separated)
    std::string source = attr("source");
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t c = source.find(':', start);
      parts.push_back(source.substr(start, c == std::string::npos ? std::string::npos : c - start));
      if (c == std::string::npos) break;
      start = c + 1;
    }
    std::string region, account;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      const std::string& a = parts[i + 1];
      if (a.size() == 12 && std::all_of(a.begin(), a.end(), ::isdigit) && !parts[i].empty()) {
        region = parts[i];
        account = a;
      }
    }
    if (account.empty())
      throw Malformed("source: no region and 12-digit account in \"" + source + "\"");
    o.events.push_back({account + ".dkr.ecr." + region + ".amazonaws.com",
                        str(*data, "repositoryName", true, prefix + "repositoryName"),
                        str(*data, "imageTag", false, prefix + "imageTag"),
                        str(*data, "imageDigest", false, prefix + "imageDigest")});
    return;
  }
  if (type.find("container") == std::string::npos && type.find("image") == std::string::npos) {
    o.ignored = true;
    return;
  }
  o.events.push_back({str(*data, "registry", false, prefix + "registry"),
                      str(*data, "repository", true, prefix + "repository"),
                      str(*data, "tag", false, prefix + "tag"),
                      str(*data, "digest", false, prefix + "digest")});
}

bool is_manifest_media_type(const std::string& t) {
  return t == "application/vnd.docker.distribution.manifest.v2+json" ||
         t == "application/vnd.docker.distribution.manifest.list.v2+json" ||
         t == "application/vnd.oci.image.manifest.v1+json" ||
         t == "application/vnd.oci.image.index.v1+json" ||
         t == "application/vnd.docker.distribution.manifest.v1+prettyjws" ||
         t == "application/vnd.docker.distribution.manifest.v1+json";
}

void distribution(const Value& b, Outcome& o) {
  const Value* events = find(b, "events");
  if (events == nullptr || !events->IsArray()) throw Malformed("events: missing");
  for (rapidjson::SizeType i = 0; i < events->Size(); ++i) {
    const Value& e = (*events)[i];
    const std::string at = "events[" + std::to_string(i) + "].";
    if (!e.IsObject()) throw Malformed(at.substr(0, at.size() - 1) + ": not an object");
    if (str(e, "action", true, at + "action") != "push") continue;
    if (!is_manifest_media_type(str(e, "target.mediaType", true, at + "target.mediaType")))
      continue;
    o.events.push_back({str(e, "request.host", true, at + "request.host"),
                        str(e, "target.repository", true, at + "target.repository"),
                        str(e, "target.tag", false, at + "target.tag"),
                        str(e, "target.digest", true, at + "target.digest")});
  }
  if (o.events.empty()) o.ignored = true;
}

}  // namespace

Outcome parse_payload(const std::string& type, const server::Request& r) {
  Outcome o;
  o.type = type;
  rapidjson::Document doc;
  doc.Parse(r.body.c_str(), r.body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    o.status = 400;
    o.message = "invalid " + type + " payload: " +
                (doc.HasParseError() ? std::string("malformed JSON at offset ") +
                                           std::to_string(doc.GetErrorOffset()) + ": " +
                                           rapidjson::GetParseError_En(doc.GetParseError())
                                     : std::string("not a JSON object"));
    return o;
  }
  try {
    if (type == "docker.io")
      docker_hub(doc, o);
    else if (type == "ghcr.io")
      ghcr(r, doc, o);
    else if (type == "quay.io")
      quay(doc, o);
    else if (type == "harbor")
      harbor(doc, o);
    else if (type == "aliyun-acr")
      aliyun(r, doc, o);
    else if (type == "acr")
      acr(doc, o);
    else if (type == "cloudevents")
      cloudevent(r, doc, o);
    else if (type == "registry")
      distribution(doc, o);
    else
      throw Malformed("unknown type");
  } catch (const Malformed& m) {
    o = Outcome{};
    o.type = type;
    o.status = 400;
    o.message = "invalid " + type + " payload: " + m.what();
    return o;
  }
  o.status = 200;
  if (o.ignored && o.events.empty()) {
    o.message = "ignored: no image push in this " + type + " event";
  } else {
    o.ignored = false;
    o.message = "accepted " + std::to_string(o.events.size()) + " event(s)";
  }
  return o;
}

}  // namespace iu::webhook
