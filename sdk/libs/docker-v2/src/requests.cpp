#include "requests.hpp"

#include "errors.hpp"
#include "text.hpp"

namespace iu::dockerv2::detail {
namespace {

Url parse_api_url(const ClientOptions& o) {
  std::string_view text = o.api_url;
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  std::optional<Url> u = parse_url(text);
  if (!u || !u->query.empty())
    fail(IU_STATUS_INVALID_ARGUMENT, o.registry.empty() ? "<unnamed>" : o.registry, "api_url",
         "\"" + std::string(o.api_url.find('@') == std::string::npos ? o.api_url : "<redacted>") +
             "\" is not an absolute http(s) URL without user information, query or fragment");
  return *u;
}

}  // namespace

Endpoint::Endpoint(ClientOptions opts) : options(std::move(opts)), api(parse_api_url(options)) {
  if (options.registry.empty()) options.registry = api.authority;
}

std::string Endpoint::v2_url(std::string_view rest) const {
  return api.without_query() + "/v2/" + std::string(rest);
}

std::string Endpoint::subject(std::string_view method, std::string_view url) const {
  std::optional<Url> u = parse_url(url);
  if (!u) return std::string(method) + " <invalid URL>";
  if (u->origin() == api.origin())
    return std::string(method) + " " + (u->path.empty() ? "/" : u->path);
  return std::string(method) + " " + u->without_query();
}

std::string Endpoint::token_actions() const {
  if (!options.token_actions.empty()) return options.token_actions;
  if (ends_with_icase(api.host(), ".azurecr.io")) return "pull,metadata_read,content_read";
  return "pull";
}

sdk::HttpRequest make_request(std::string_view method, std::string url, std::string_view op,
                              uint64_t max_body_bytes) {
  sdk::HttpRequest r;
  r.method = std::string(method);
  r.url = std::move(url);
  r.op = std::string(op);
  r.flags = IU_HTTP_IDEMPOTENT;
  r.max_body_bytes = max_body_bytes;
  return r;
}

sdk::HttpResponse perform(sdk::Call& call, const Endpoint& endpoint,
                          const sdk::HttpRequest& request) {
  try {
    return call.http(request);
  } catch (const sdk::Error& e) {
    fail(e.status(), endpoint.registry(), endpoint.subject(request.method, request.url),
         transport_problem(e.status(),
                           request.max_body_bytes == 0 ? (16u << 20) : request.max_body_bytes));
  }
}

std::vector<std::string_view> header_values(const sdk::HttpResponse& response,
                                            std::string_view name) {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : response.headers)
    if (iequals(k, name)) out.emplace_back(v);
  return out;
}

}  // namespace iu::dockerv2::detail
