#include "tags.hpp"

#include <set>

#include "errors.hpp"
#include "iu/dockerv2/documents.hpp"
#include "iu/dockerv2/link.hpp"

namespace iu::dockerv2::detail {

std::vector<std::string> fetch_tags(sdk::Call& call, const Endpoint& endpoint, Session& session,
                                    const Operation& op) {
  const ClientOptions& o = endpoint.options;
  const std::string repo_subject = "repository " + op.repository;
  std::string url = endpoint.v2_url(op.repository + "/tags/list");
  if (o.tags_page_size > 0) url += "?n=" + std::to_string(o.tags_page_size);

  std::vector<std::string> tags;
  std::set<std::string> visited;
  for (uint32_t page = 1;; ++page) {
    if (call.cancelled())
      fail(IU_STATUS_CANCELLED, endpoint.registry(), repo_subject,
           "tag listing cancelled after " + std::to_string(page - 1) + " pages");
    visited.insert(url);
    sdk::HttpRequest r = make_request("GET", url, "tags", o.max_tag_page_bytes);
    r.headers.emplace_back("Accept", "application/json");
    r.singleflight_key = "GET tags|" + endpoint.api.origin() + "|" + op.identity + "|" + url;
    sdk::HttpResponse resp = session.send(call, op, r);
    const std::string subject = endpoint.subject(r.method, r.url);
    if (resp.status != 200)
      fail(status_for_http(resp.status), endpoint.registry(), subject, http_problem(resp));

    std::vector<std::string> page_tags;
    try {
      page_tags = parse_tag_page(resp.body);
    } catch (const DocumentError& e) {
      fail(e.status(), endpoint.registry(), subject, "HTTP 200 with " + std::string(e.what()));
    }
    if (tags.size() + page_tags.size() > o.max_tags)
      fail(IU_STATUS_UNSUPPORTED, endpoint.registry(), repo_subject,
           "more than " + std::to_string(o.max_tags) + " tags (the most a listing may return)");
    for (auto& t : page_tags) tags.push_back(std::move(t));

    std::optional<std::string> next;
    try {
      for (std::string_view v : header_values(resp, "link"))
        if ((next = next_link(v))) break;
    } catch (const LinkHeaderError& e) {
      fail(IU_STATUS_INTERNAL, endpoint.registry(), subject, e.what());
    }
    if (!next) return tags;
    if (page >= o.max_tag_pages)
      fail(IU_STATUS_UNSUPPORTED, endpoint.registry(), repo_subject,
           "more than " + std::to_string(o.max_tag_pages) +
               " pages of tags (the most a listing may follow)");
    std::optional<Url> base = parse_url(url);
    std::optional<Url> target = base ? resolve_reference(*base, *next) : std::nullopt;
    if (!target)
      fail(IU_STATUS_INTERNAL, endpoint.registry(), subject,
           "the Link header's next page is not a valid URL reference");
    if (target->origin() != endpoint.api.origin())
      fail(IU_STATUS_INTERNAL, endpoint.registry(), subject,
           "the Link header's next page is on another origin (" + target->origin() +
               "); refusing to send credentials there");
    url = target->str();
    if (visited.count(url) != 0)
      fail(IU_STATUS_INTERNAL, endpoint.registry(), subject,
           "the Link header points back to a page already read (pagination loop)");
  }
}

}  // namespace iu::dockerv2::detail
