#include "ecr_api.hpp"

#include <rapidjson/document.h>

#include "text.hpp"

namespace iu::registry_ecr {
namespace {

struct AwsError {
  std::string code, message;
};

// The error shape of JSON 1.1 services: {"__type": "[ns#]Code", "message": "..."} and/or the
// x-amzn-ErrorType header "Code:...".
AwsError parse_error(const sdk::HttpResponse& resp) {
  AwsError e;
  rapidjson::Document doc;
  doc.Parse(resp.body.c_str(), resp.body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    for (const char* key : {"__type", "code"})
      if (doc.HasMember(key) && doc[key].IsString() && e.code.empty())
        e.code = doc[key].GetString();
    for (const char* key : {"message", "Message"})
      if (doc.HasMember(key) && doc[key].IsString() && e.message.empty())
        e.message = doc[key].GetString();
  }
  if (e.code.empty())
    if (auto h = resp.header("x-amzn-errortype")) e.code = std::string(h->substr(0, h->find(':')));
  if (auto hash = e.code.rfind('#'); hash != std::string::npos) e.code = e.code.substr(hash + 1);
  if (e.code.empty()) e.code = "HTTP " + std::to_string(resp.status);
  return e;
}

bool is_auth_error(const std::string& code) {
  return code == "UnrecognizedClientException" || code == "InvalidSignatureException" ||
         code == "IncompleteSignatureException" || code == "ExpiredTokenException" ||
         code == "MissingAuthenticationTokenException" || code == "AccessDeniedException" ||
         code == "AccessDenied" || code == "InvalidClientTokenId" ||
         code == "SignatureDoesNotMatch";
}

}  // namespace

EcrApi::EcrApi(std::string registry, std::string endpoint, std::string region,
               CredentialChain& chain)
    : registry_(std::move(registry)),
      endpoint_(std::move(endpoint)),
      region_(std::move(region)),
      chain_(chain) {}

std::string EcrApi::call(sdk::Call& call, std::string_view operation, const std::string& body,
                         std::string_view op_label) {
  AwsCredentials creds = chain_.get(call);
  const std::string what = "registry " + registry_ + ": ECR " + std::string(operation) +
                           " (credentials from " + creds.source + ")";
  sdk::HttpRequest r;
  r.method = "POST";
  r.url = endpoint_ + "/";
  r.op = std::string(op_label);
  // Every operation this plugin uses only reads: safe to retry.
  r.flags = IU_HTTP_IDEMPOTENT;
  r.max_body_bytes = 32u << 20;
  r.headers = {{"X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + std::string(operation)},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"Accept", "application/json"}};
  r.body = body;
  r.aws_sigv4 = "aws:amz:" + region_ + ":ecr";
  r.aws_credentials = creds.for_signing();
  sdk::HttpResponse resp;
  try {
    resp = call.http(r);
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.status(), what + ": no answer: " + e.what());
  }
  if (resp.status == 200) return std::move(resp.body);

  AwsError e = parse_error(resp);
  const std::string message =
      safe_message(e.message, {creds.secret_access_key, creds.session_token});
  iu_status st = IU_STATUS_INVALID_ARGUMENT;
  if (e.code == "RepositoryNotFoundException" || e.code == "ImageNotFoundException" ||
      e.code == "RegistryNotFoundException")
    st = IU_STATUS_NOT_FOUND;
  else if (is_auth_error(e.code) || resp.status == 401 || resp.status == 403)
    st = IU_STATUS_UNAUTHENTICATED;
  else if (e.code == "ThrottlingException" || e.code == "TooManyRequestsException" ||
           resp.status == 429)
    st = IU_STATUS_RATE_LIMITED;
  else if (resp.status >= 500)
    st = IU_STATUS_TRANSIENT;
  if (st == IU_STATUS_UNAUTHENTICATED) chain_.rejected(creds);
  throw sdk::Error(st, what + ": " + e.code + (message.empty() ? "" : ": " + message));
}

}  // namespace iu::registry_ecr
