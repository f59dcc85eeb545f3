#include "iu/dockerv2/client.hpp"

#include "errors.hpp"
#include "iu/dockerv2/digest.hpp"
#include "iu/dockerv2/documents.hpp"
#include "names.hpp"
#include "requests.hpp"
#include "session.hpp"
#include "tags.hpp"

namespace iu::dockerv2 {

struct Client::Impl {
  detail::Endpoint endpoint;  // before session, which keeps a reference to it
  detail::Session session;

  Impl(ClientOptions options, std::shared_ptr<CredentialProvider> provider)
      : endpoint(std::move(options)),
        session(endpoint, provider ? std::move(provider) : std::make_shared<RequestCredentials>()) {
  }

  void check_repository(std::string_view repository) const {
    if (!detail::valid_repository(repository))
      detail::fail(IU_STATUS_INVALID_ARGUMENT, endpoint.registry(),
                   "repository \"" + std::string(repository) + "\"",
                   "invalid repository name (lower-case alphanumeric path components separated "
                   "by '/', '.', '_' or '-')");
  }

  [[noreturn]] void unexpected(const sdk::HttpRequest& r, const sdk::HttpResponse& resp) const {
    detail::fail(detail::status_for_http(resp.status), endpoint.registry(),
                 endpoint.subject(r.method, r.url), detail::http_problem(resp));
  }

  [[noreturn]] void bad_document(const sdk::HttpRequest& r, const DocumentError& e) const {
    detail::fail(e.status(), endpoint.registry(), endpoint.subject(r.method, r.url),
                 "HTTP 200 with " + std::string(e.what()));
  }

  [[noreturn]] void corrupt(const sdk::HttpRequest& r, const std::string& problem) const {
    detail::fail(IU_STATUS_INTERNAL, endpoint.registry(), endpoint.subject(r.method, r.url),
                 problem);
  }
};

namespace {

std::optional<Digest> header_digest(const sdk::HttpResponse& resp) {
  auto v = resp.header("docker-content-digest");
  return v ? parse_digest(*v) : std::nullopt;
}

}  // namespace

Client::Client(ClientOptions options, std::shared_ptr<CredentialProvider> credentials)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(credentials))) {}

Client::~Client() = default;

const ClientOptions& Client::options() const { return impl_->endpoint.options; }

void Client::list_tags(sdk::Call& call, const sdk::RepoRequest& request,
                       const std::function<void(std::string_view)>& on_tag) {
  impl_->check_repository(request.repository);
  detail::Operation op = impl_->session.begin(call, request);
  for (const auto& tag : detail::fetch_tags(call, impl_->endpoint, impl_->session, op)) on_tag(tag);
}

sdk::Manifest Client::get_manifest(sdk::Call& call, const sdk::RepoRequest& request,
                                   std::string_view reference, bool head_only) {
  const detail::Endpoint& ep = impl_->endpoint;
  impl_->check_repository(request.repository);
  const std::optional<Digest> by_digest = parse_digest(reference);
  if (!by_digest && !detail::valid_tag(reference))
    detail::fail(IU_STATUS_INVALID_ARGUMENT, ep.registry(),
                 "repository " + std::string(request.repository),
                 "invalid tag or digest \"" + std::string(reference) + "\"");
  detail::Operation op = impl_->session.begin(call, request);
  const std::string url = ep.v2_url(op.repository + "/manifests/" + std::string(reference));
  // Content addressed by digest is the same for everyone; by tag it is looked up per identity.
  const std::string flight = by_digest ? ep.api.origin() + "|" + by_digest->str()
                                       : ep.api.origin() + "|" + op.repository + "|" +
                                             std::string(reference) + "|" + op.identity;

  if (head_only) {
    sdk::HttpRequest r =
        detail::make_request("HEAD", url, "manifest", ep.options.max_manifest_bytes);
    r.headers.emplace_back("Accept", manifest_accept_header());
    r.singleflight_key = "HEAD manifest|" + flight + "|" + manifest_accept_header();
    sdk::HttpResponse resp = impl_->session.send(call, op, r);
    if (resp.status != 200) impl_->unexpected(r, resp);
    std::string type = bare_media_type(resp.header("content-type").value_or(""));
    if (is_schema1_media_type(type))
      impl_->bad_document(r, DocumentError(IU_STATUS_UNSUPPORTED,
                                           "a schema 1 manifest (" + type +
                                               "), which is not supported: push the image with "
                                               "a Docker schema 2 or OCI manifest"));
    std::optional<Digest> served = header_digest(resp);
    if (served && is_supported_media_type(type)) {
      if (by_digest && *served != *by_digest)
        impl_->corrupt(
            r, "Docker-Content-Digest " + served->str() + " differs from the requested digest");
      sdk::Manifest m;
      m.digest = served->str();
      m.media_type = type;
      m.is_index = is_index_media_type(type);
      return m;
    }
    // Without a usable digest or media type the HEAD answer is not enough: GET the manifest.
  }

  sdk::HttpRequest r = detail::make_request("GET", url, "manifest", ep.options.max_manifest_bytes);
  r.headers.emplace_back("Accept", manifest_accept_header());
  r.singleflight_key = "GET manifest|" + flight + "|" + manifest_accept_header();
  sdk::HttpResponse resp = impl_->session.send(call, op, r);
  if (resp.status != 200) impl_->unexpected(r, resp);
  sdk::Manifest m;
  try {
    m = parse_manifest(resp.body, resp.header("content-type").value_or(""));
  } catch (const DocumentError& e) {
    impl_->bad_document(r, e);
  }
  const std::optional<Digest> served = header_digest(resp);
  const std::string algorithm =
      by_digest ? by_digest->algorithm : (served ? served->algorithm : "sha256");
  const Digest computed = compute_digest(algorithm, resp.body);
  if (by_digest && computed != *by_digest)
    impl_->corrupt(
        r, "content does not match the requested digest (it hashes to " + computed.str() + ")");
  if (served && !matches_digest(*served, resp.body))
    impl_->corrupt(r, "content does not match its Docker-Content-Digest " + served->str());
  m.digest = computed.str();
  return m;
}

sdk::ImageConfig Client::get_image_config(sdk::Call& call, const sdk::RepoRequest& request,
                                          std::string_view config_digest) {
  const detail::Endpoint& ep = impl_->endpoint;
  impl_->check_repository(request.repository);
  const std::optional<Digest> digest = parse_digest(config_digest);
  if (!digest)
    detail::fail(IU_STATUS_INVALID_ARGUMENT, ep.registry(),
                 "repository " + std::string(request.repository),
                 "invalid config digest \"" + std::string(config_digest) + "\"");
  detail::Operation op = impl_->session.begin(call, request);
  sdk::HttpRequest r =
      detail::make_request("GET", ep.v2_url(op.repository + "/blobs/" + digest->str()), "blob",
                           ep.options.max_config_bytes);
  r.flags |= IU_HTTP_FOLLOW_REDIRECTS;
  r.singleflight_key = "GET blob|" + ep.api.origin() + "|" + digest->str();
  sdk::HttpResponse resp = impl_->session.send(call, op, r);
  if (resp.status != 200) impl_->unexpected(r, resp);
  if (!matches_digest(*digest, resp.body))
    impl_->corrupt(r, "content does not match the requested digest (it hashes to " +
                          compute_digest(digest->algorithm, resp.body).str() + ")");
  try {
    return parse_image_config(resp.body);
  } catch (const DocumentError& e) {
    impl_->bad_document(r, e);
  }
}

}  // namespace iu::dockerv2
