#include "describe_images.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>

namespace iu::registry_ecr {
namespace {

std::string request_body(const std::string& account, const std::string& repository,
                         uint32_t page_size, const std::string& next_token) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("repositoryName");
  w.String(repository.c_str(), static_cast<rapidjson::SizeType>(repository.size()));
  if (!account.empty()) {
    w.Key("registryId");
    w.String(account.c_str(), static_cast<rapidjson::SizeType>(account.size()));
  }
  w.Key("maxResults");
  w.Uint(page_size);
  w.Key("filter");
  w.StartObject();
  w.Key("tagStatus");
  w.String("TAGGED");
  w.EndObject();
  if (!next_token.empty()) {
    w.Key("nextToken");
    w.String(next_token.c_str(), static_cast<rapidjson::SizeType>(next_token.size()));
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

std::vector<ListedTag> describe_tags(sdk::Call& call, EcrApi& api, const std::string& account,
                                     const std::string& repository, const DescribeLimits& limits) {
  const std::string what =
      "registry " + api.registry() + ": ECR DescribeImages of repository " + repository;
  auto malformed = [&](uint32_t page, const std::string& problem) {
    return sdk::Error(IU_STATUS_INTERNAL,
                      what + ": page " + std::to_string(page + 1) + ": " + problem);
  };
  const uint32_t page_size = std::clamp<uint32_t>(limits.page_size, 1, 1000);
  std::vector<ListedTag> out;
  std::string next;
  for (uint32_t page = 0;; ++page) {
    if (page >= limits.max_pages)
      throw sdk::Error(IU_STATUS_UNSUPPORTED,
                       what + ": more than " + std::to_string(limits.max_pages) + " pages");
    if (call.cancelled()) throw sdk::Error(IU_STATUS_CANCELLED, what + ": cancelled");
    const std::string text = api.call(call, "DescribeImages",
                                      request_body(account, repository, page_size, next), "tags");
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) throw malformed(page, "HTTP 200 with invalid JSON");
    if (!doc.HasMember("imageDetails") || !doc["imageDetails"].IsArray())
      throw malformed(page, "imageDetails is missing");
    for (const auto& d : doc["imageDetails"].GetArray()) {
      if (!d.IsObject() || !d.HasMember("imageDigest") || !d["imageDigest"].IsString())
        throw malformed(page, "an image without imageDigest");
      if (!d.HasMember("imageTags")) continue;  // untagged (the filter should have left it out)
      if (!d["imageTags"].IsArray()) throw malformed(page, "imageTags is not a list");
      int64_t pushed = IU_TIME_UNKNOWN;
      if (d.HasMember("imagePushedAt")) {
        if (!d["imagePushedAt"].IsNumber()) throw malformed(page, "imagePushedAt is not a number");
        pushed = std::llround(d["imagePushedAt"].GetDouble() * 1000.0);
      }
      std::string digest(d["imageDigest"].GetString(), d["imageDigest"].GetStringLength());
      for (const auto& t : d["imageTags"].GetArray()) {
        if (!t.IsString()) throw malformed(page, "a tag that is not a string");
        if (out.size() >= limits.max_tags)
          throw sdk::Error(IU_STATUS_UNSUPPORTED,
                           what + ": more than " + std::to_string(limits.max_tags) + " tags");
        out.push_back(ListedTag{std::string(t.GetString(), t.GetStringLength()), digest, pushed});
      }
    }
    if (!doc.HasMember("nextToken") || doc["nextToken"].IsNull()) break;
    if (!doc["nextToken"].IsString()) throw malformed(page, "nextToken is not a string");
    next.assign(doc["nextToken"].GetString(), doc["nextToken"].GetStringLength());
    if (next.empty()) break;
  }
  std::sort(out.begin(), out.end(), [](const ListedTag& a, const ListedTag& b) {
    return a.pushed_at_ms != b.pushed_at_ms ? a.pushed_at_ms < b.pushed_at_ms : a.tag < b.tag;
  });
  return out;
}

}  // namespace iu::registry_ecr
