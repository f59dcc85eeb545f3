#include "sts.hpp"

#include "text.hpp"

namespace iu::registry_ecr {

AwsCredentials assume_role_with_web_identity(sdk::Call& call, std::string_view registry,
                                             const WebIdentityRequest& request) {
  const std::string what = "registry " + std::string(registry) +
                           ": STS AssumeRoleWithWebIdentity for role " + request.role_arn +
                           " (credentials from " + request.source + ")";
  sdk::HttpRequest r;
  r.method = "POST";
  r.url = request.sts_endpoint + "/";
  r.op = "token";
  r.flags = IU_HTTP_IDEMPOTENT;
  r.max_body_bytes = 1u << 20;
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"Accept", "text/xml"}};
  r.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" +
           form_encode(request.role_arn) + "&RoleSessionName=" + form_encode(request.session_name) +
           "&WebIdentityToken=" + form_encode(request.token);
  sdk::HttpResponse resp;
  try {
    resp = call.http(r);
  } catch (const sdk::Error& e) {
    throw sdk::Error(e.status(), what + ": no answer: " + e.what());
  }
  const std::vector<std::string_view> secrets{request.token};
  if (resp.status != 200) {
    std::string code =
        xml_element(resp.body, "Code").value_or("HTTP " + std::to_string(resp.status));
    std::string message = safe_message(xml_element(resp.body, "Message").value_or(""), secrets);
    iu_status st = IU_STATUS_UNAUTHENTICATED;
    if (resp.status >= 500) st = IU_STATUS_TRANSIENT;
    if (code == "Throttling" || code == "ThrottlingException" || resp.status == 429)
      st = IU_STATUS_RATE_LIMITED;
    throw sdk::Error(st, what + ": " + code + (message.empty() ? "" : ": " + message));
  }
  AwsCredentials c;
  c.access_key_id = xml_element(resp.body, "AccessKeyId").value_or("");
  c.secret_access_key = xml_element(resp.body, "SecretAccessKey").value_or("");
  c.session_token = xml_element(resp.body, "SessionToken").value_or("");
  std::string expiration = xml_element(resp.body, "Expiration").value_or("");
  c.expiration = parse_iso8601(expiration);
  c.source = request.source;
  if (c.access_key_id.empty() || c.secret_access_key.empty() || c.session_token.empty() ||
      !c.expiration)
    throw sdk::Error(IU_STATUS_INTERNAL,
                     what +
                         ": HTTP 200 without AccessKeyId, SecretAccessKey, SessionToken and a "
                         "valid Expiration");
  return c;
}

}  // namespace iu::registry_ecr
