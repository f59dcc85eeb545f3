#include "ecr_registry.hpp"

#include <charconv>

#include "shared_files.hpp"

namespace iu::registry_ecr {

struct EcrRegistry::Settings {
  std::string registry;  // name in messages
  std::string api_url;
  AwsLocation location;
  bool describe_images = true;
  DescribeLimits limits;
};

namespace {

std::string config_or(sdk::Call& call, const char* key, std::string fallback = {}) {
  auto v = call.config(key);
  return v && !v->empty() ? *v : fallback;
}

}  // namespace

EcrRegistry::EcrRegistry(sdk::Call& call) : EcrRegistry(call, AwsEnv::from_process()) {}

EcrRegistry::Settings EcrRegistry::read_settings(sdk::Call& call, const AwsEnv& env) {
  Settings s;
  const std::string api_url = config_or(call, "api_url");
  const std::string prefix = config_or(call, "prefix");
  s.registry = config_or(call, "prefix", config_or(call, "name", url_authority(api_url)));
  if (s.registry.empty()) s.registry = "<unnamed>";
  if (api_url.empty())
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "registry " + s.registry + ": api_url: required by the ecr registry plugin");
  s.api_url = api_url;
  const std::string listing = config_or(call, kListingKey, "describe-images");
  if (listing != "describe-images" && listing != "tags-list")
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT, "registry " + s.registry + ": " + kListingKey +
                                                     ": \"" + listing +
                                                     "\" is not describe-images or tags-list");
  s.describe_images = listing == "describe-images";
  const std::string page = config_or(call, kDescribePageSizeKey, "1000");
  int64_t n = 0;
  auto [end, ec] = std::from_chars(page.data(), page.data() + page.size(), n);
  if (ec != std::errc() || end != page.data() + page.size() || n < 1 || n > 1000)
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT, "registry " + s.registry + ": " +
                                                     kDescribePageSizeKey + ": \"" + page +
                                                     "\" is not a page size between 1 and 1000");
  s.limits.page_size = static_cast<uint32_t>(n);
  s.location =
      resolve_location(s.registry, url_authority(api_url), prefix.substr(0, prefix.find('/')), env,
                       [&] { return load_profile(env).get("region"); });
  return s;
}

EcrRegistry::EcrRegistry(sdk::Call& call, const AwsEnv& env)
    : EcrRegistry(call, read_settings(call, env), env) {}

EcrRegistry::EcrRegistry(sdk::Call& call, Settings s, const AwsEnv& env)
    : registry_(s.registry),
      location_(s.location),
      describe_images_(s.describe_images),
      limits_(s.limits),
      chain_(s.registry, env, s.location.sts_endpoint),
      api_(s.registry, s.location.ecr_endpoint, s.location.region, chain_),
      tokens_(std::make_shared<AuthTokenProvider>(api_, s.location.account)),
      client_(
          [&] {
            dockerv2::ClientOptions o;
            o.registry = s.registry;
            o.api_url = s.api_url;
            return o;
          }(),
          tokens_) {
  const std::string mode = config_or(call, "tagsortmode", "none");
  call.info("registry " + registry_ + ": ECR " +
            (location_.account.empty() ? std::string("default registry")
                                       : "account " + location_.account) +
            " in " + location_.region + " (region from " + location_.region_source + "), API " +
            location_.ecr_endpoint + "; tags listed with " +
            (describe_images_ ? "DescribeImages (digests and push times included)"
                              : "the v2 tags/list API") +
            "; newest-build orders by " +
            (mode == "pushed" ? "push time (tagsortmode: pushed)"
                              : "build time (config created; tagsortmode: pushed orders by push "
                                "time instead)"));
}

template <typename Fn>
auto EcrRegistry::with_token_retry(sdk::Call& call, const sdk::RepoRequest& req, Fn&& fn) {
  const uint64_t before = tokens_->rejections();
  try {
    return fn();
  } catch (const sdk::Error& e) {
    // Only when the registry rejected a token of ours (not host-given credentials, not AWS
    // refusing our signature): the provider dropped it, the next attempt fetches a new one.
    if (e.status() != IU_STATUS_UNAUTHENTICATED || !req.anonymous() ||
        tokens_->rejections() == before)
      throw;
    call.debug("registry " + registry_ + ": the ECR token was rejected; retrying with a new one");
  }
  return fn();
}

void EcrRegistry::list_tags(sdk::Call& call, const sdk::RepoRequest& req, sdk::TagSink& out) {
  if (describe_images_ && req.anonymous()) {
    for (const ListedTag& t :
         describe_tags(call, api_, location_.account, std::string(req.repository), limits_))
      out.put(t.tag, t.digest, t.pushed_at_ms);
    return;
  }
  with_token_retry(call, req, [&] {
    std::vector<std::string> tags;
    client_.list_tags(call, req, [&](std::string_view tag) { tags.emplace_back(tag); });
    for (const auto& t : tags) out.put(t);
    return 0;
  });
}

sdk::Manifest EcrRegistry::get_manifest(sdk::Call& call, const sdk::RepoRequest& req,
                                        std::string_view reference, uint32_t flags) {
  return with_token_retry(call, req, [&] {
    return client_.get_manifest(call, req, reference, (flags & IU_MANIFEST_HEAD_ONLY) != 0);
  });
}

sdk::ImageConfig EcrRegistry::get_image_config(sdk::Call& call, const sdk::RepoRequest& req,
                                               std::string_view config_digest) {
  return with_token_retry(call, req,
                          [&] { return client_.get_image_config(call, req, config_digest); });
}

}  // namespace iu::registry_ecr
