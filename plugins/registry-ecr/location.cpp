#include "location.hpp"

#include <algorithm>

#include "iu/plugin.hpp"

namespace iu::registry_ecr {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_region(std::string_view r) {
  if (r.empty() || r.size() > 63 || r.front() == '-' || r.back() == '-') return false;
  return std::all_of(r.begin(), r.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_http_url(std::string_view u) {
  return u.starts_with("http://") || u.starts_with("https://");
}

std::string trimmed_url(std::string u) {
  while (u.size() > 1 && u.back() == '/') u.pop_back();
  return u;
}

// An endpoint override from the environment, checked.
std::optional<std::string> override_url(std::string_view registry, const AwsEnv& env,
                                        std::string_view specific) {
  for (std::string_view name : {specific, std::string_view("AWS_ENDPOINT_URL")}) {
    if (auto v = env.get(name)) {
      if (!is_http_url(*v))
        throw sdk::Error(IU_STATUS_INVALID_ARGUMENT, "registry " + std::string(registry) + ": " +
                                                         std::string(name) + ": \"" + *v +
                                                         "\" is not an http(s) URL");
      return trimmed_url(*v);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<EcrHost> parse_ecr_host(std::string_view host_port) {
  std::string h = lower(host_port);
  if (auto colon = h.rfind(':'); colon != std::string::npos) h.resize(colon);
  // <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]
  if (h.size() < 13 || h[12] != '.' ||
      !std::all_of(h.begin(), h.begin() + 12, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  EcrHost out;
  out.account = h.substr(0, 12);
  std::string_view rest(h);
  rest.remove_prefix(13);
  if (rest.starts_with("dkr.ecr-fips.")) {
    out.fips = true;
    rest.remove_prefix(13);
  } else if (rest.starts_with("dkr.ecr.")) {
    rest.remove_prefix(8);
  } else {
    return std::nullopt;
  }
  if (rest.ends_with(".amazonaws.com.cn")) {
    out.china = true;
    rest.remove_suffix(17);
  } else if (rest.ends_with(".amazonaws.com")) {
    rest.remove_suffix(14);
  } else {
    return std::nullopt;
  }
  if (!is_region(rest)) return std::nullopt;
  out.region = std::string(rest);
  return out;
}

std::string url_authority(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  url.remove_prefix(scheme + 3);
  return std::string(url.substr(0, url.find_first_of("/?#")));
}

AwsLocation resolve_location(std::string_view registry, std::string_view api_host,
                             std::string_view prefix_host, const AwsEnv& env,
                             const std::function<std::optional<std::string>()>& profile_region) {
  AwsLocation loc;
  std::optional<EcrHost> ecr = parse_ecr_host(api_host);
  if (!ecr) ecr = parse_ecr_host(prefix_host);
  if (ecr) {
    loc.account = ecr->account;
    loc.region = ecr->region;
    loc.region_source = "registry host";
  } else if (auto r = env.get("AWS_REGION")) {
    loc.region = *r;
    loc.region_source = "AWS_REGION";
  } else if (auto d = env.get("AWS_DEFAULT_REGION")) {
    loc.region = *d;
    loc.region_source = "AWS_DEFAULT_REGION";
  } else if (auto p = profile_region(); p && !p->empty()) {
    loc.region = *p;
    loc.region_source = "shared config file";
  } else {
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "registry " + std::string(registry) +
                         ": cannot tell the AWS region: the registry host is not an ECR host "
                         "(<account>.dkr.ecr.<region>.amazonaws.com) and AWS_REGION, "
                         "AWS_DEFAULT_REGION and the profile's region are unset");
  }
  if (!is_region(loc.region))
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT, "registry " + std::string(registry) + ": " +
                                                     loc.region_source + ": \"" + loc.region +
                                                     "\" is not an AWS region name");
  const bool fips = ecr && ecr->fips;
  const std::string suffix =
      (ecr && ecr->china) || loc.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  loc.ecr_endpoint = override_url(registry, env, "AWS_ENDPOINT_URL_ECR")
                         .value_or("https://" + std::string(fips ? "ecr-fips." : "api.ecr.") +
                                   loc.region + suffix);
  loc.sts_endpoint =
      override_url(registry, env, "AWS_ENDPOINT_URL_STS")
          .value_or("https://" + std::string(fips ? "sts-fips." : "sts.") + loc.region + suffix);
  return loc;
}

}  // namespace iu::registry_ecr
