#include "credential_chain.hpp"

#include <fstream>
#include <sstream>

#include "shared_files.hpp"
#include "sts.hpp"

namespace iu::registry_ecr {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRefreshBefore = std::chrono::minutes(5);
constexpr size_t kMaxTokenFileBytes = 64 * 1024;

// Long-term keys: held until AWS rejects them.
Refreshing<AwsCredentials>::Held forever(AwsCredentials c) {
  return {std::move(c), Clock::time_point::max(), Clock::time_point::max()};
}

// Temporary credentials: refreshed kRefreshBefore before expiry (half the remaining life when
// shorter, so that short-lived test credentials are not refreshed on every call).
Refreshing<AwsCredentials>::Held temporary(AwsCredentials c) {
  const auto sys_now = std::chrono::system_clock::now();
  const auto now = Clock::now();
  const auto life = std::chrono::duration_cast<Clock::duration>(*c.expiration - sys_now);
  const auto margin = std::min<Clock::duration>(kRefreshBefore, life / 2);
  return {std::move(c), now + life - margin, now + life};
}

}  // namespace

CredentialChain::CredentialChain(std::string registry, AwsEnv env, std::string sts_endpoint)
    : registry_(std::move(registry)),
      env_(std::move(env)),
      sts_endpoint_(std::move(sts_endpoint)) {}

AwsCredentials CredentialChain::get(sdk::Call& call) {
  return held_.get(call, [&] { return fetch(call); });
}

void CredentialChain::rejected(const AwsCredentials& used) {
  held_.drop_if([&](const AwsCredentials& c) {
    return c.access_key_id == used.access_key_id && c.session_token == used.session_token;
  });
}

CredentialChain::Held CredentialChain::fetch(sdk::Call& call) {
  const std::string prefix = "registry " + registry_ + ": AWS credentials from ";
  auto incomplete = [&](const std::string& source, const std::string& set,
                        const std::string& missing) {
    return sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                      prefix + source + ": " + set + " is set but " + missing + " is not");
  };

  // 1. environment
  auto akid = env_.get("AWS_ACCESS_KEY_ID");
  auto secret = env_.get("AWS_SECRET_ACCESS_KEY");
  if (akid && !secret)
    throw incomplete("environment", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
  if (secret && !akid)
    throw incomplete("environment", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID");
  if (akid && secret) {
    AwsCredentials c{*akid, *secret, env_.get("AWS_SESSION_TOKEN").value_or(""), std::nullopt,
                     "environment"};
    return forever(std::move(c));
  }

  // 2. web identity
  auto role = env_.get("AWS_ROLE_ARN");
  auto token_file = env_.get("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (role && !token_file)
    throw incomplete("web identity", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE");
  if (token_file && !role)
    throw incomplete("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN");
  if (role && token_file) return web_identity(call, *role, *token_file, "web identity");

  // 3. shared files
  ProfileSettings p = load_profile(env_);
  const std::string source = "profile " + p.name;
  if (p.found) {
    auto pkey = p.get("aws_access_key_id");
    auto psecret = p.get("aws_secret_access_key");
    if (pkey && !psecret)
      throw incomplete(source + " (" + p.keys_path + ")", "aws_access_key_id",
                       "aws_secret_access_key");
    if (pkey && psecret) {
      AwsCredentials c{*pkey, *psecret, p.get("aws_session_token").value_or(""), std::nullopt,
                       source};
      return forever(std::move(c));
    }
    auto prole = p.get("role_arn");
    auto pfile = p.get("web_identity_token_file");
    if (prole && pfile) return web_identity(call, *prole, *pfile, source);
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     prefix + source +
                         ": the profile has neither aws_access_key_id + "
                         "aws_secret_access_key nor role_arn + "
                         "web_identity_token_file");
  }
  if (p.explicitly_named)
    throw sdk::Error(
        IU_STATUS_INVALID_ARGUMENT,
        prefix + source + ": AWS_PROFILE names a profile that is in neither " +
            (p.credentials_path.empty() ? "<no credentials file>" : p.credentials_path) + " nor " +
            (p.config_path.empty() ? "<no config file>" : p.config_path));
  throw sdk::Error(IU_STATUS_UNAUTHENTICATED,
                   "registry " + registry_ +
                       ": no AWS credentials found: set AWS_ACCESS_KEY_ID and "
                       "AWS_SECRET_ACCESS_KEY, or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, "
                       "or a profile in the shared credentials file, or give the registry "
                       "credentials (AWS:<password>)");
}

CredentialChain::Held CredentialChain::web_identity(sdk::Call& call, const std::string& role_arn,
                                                    const std::string& token_file,
                                                    const std::string& source) {
  std::ifstream in(token_file, std::ios::binary);
  if (!in)
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "registry " + registry_ + ": AWS credentials from " + source +
                         ": cannot read the web identity token file " + token_file);
  std::string token(kMaxTokenFileBytes + 1, '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<size_t>(in.gcount()));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty() || token.size() > kMaxTokenFileBytes)
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "registry " + registry_ + ": AWS credentials from " + source +
                         ": the web identity token file " + token_file +
                         (token.empty() ? " is empty" : " is larger than 64 KiB"));
  WebIdentityRequest req;
  req.sts_endpoint = sts_endpoint_;
  req.role_arn = role_arn;
  req.session_name =
      env_.get("AWS_ROLE_SESSION_NAME")
          .value_or("argocd-image-updater-" +
                    std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count()));
  req.token = std::move(token);
  req.source = source;
  AwsCredentials c = assume_role_with_web_identity(call, registry_, req);
  call.debug("registry " + registry_ + ": temporary AWS credentials from " + source + " for role " +
             role_arn);
  return temporary(std::move(c));
}

}  // namespace iu::registry_ecr
