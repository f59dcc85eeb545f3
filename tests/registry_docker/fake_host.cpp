#include "fake_host.hpp"

#include <gtest/gtest.h>

#include "iu/plugin.hpp"

namespace iu::test {
namespace {

FakeHost* g_host = nullptr;

std::string_view sv(iu_str s) { return sdk::view(s); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const iu_host_api* table() {
  static const iu_host_api api = {
      sizeof(iu_host_api),
      IU_ABI_MAJOR,
      IU_ABI_MINOR,
      "fake",
      [](iu_call*, int32_t level, iu_str m) {
        g_host->log(std::to_string(level) + " " + std::string(sv(m)));
      },
      [](iu_call* call, iu_str m) { call->error.assign(sv(m)); },
      [](iu_call* call) -> int32_t { return call != nullptr && call->cancelled ? 1 : 0; },
      [](iu_call*) -> int64_t { return INT64_MAX; },
      [](iu_call*, iu_str, const iu_str_sink*) -> iu_status { return IU_STATUS_NOT_FOUND; },
      [](iu_call* call, const iu_http_request* r, iu_http_response_fn fn, void* user) {
        return g_host->http(call, r, fn, user);
      },
      [](iu_call*, iu_str, iu_str, const iu_str_sink*) -> iu_status {
        return IU_STATUS_UNSUPPORTED;
      },
      [](iu_call*, int32_t, iu_str name, iu_str, iu_str) -> uint64_t {
        return g_host->declare(std::string(sv(name)));
      },
      [](iu_call*, uint64_t id, iu_str labels, double v) {
        g_host->update(id, std::string(sv(labels)), v);
      },
      [](iu_call*, int32_t) -> int32_t { return 1; },
  };
  return &api;
}

}  // namespace

std::string SeenRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (lower(k) == lower(name)) return v;
  return {};
}

FakeHost::FakeHost() {
  g_host = this;
  sdk::host_api() = table();
}

FakeHost::~FakeHost() {
  sdk::host_api() = nullptr;
  g_host = nullptr;
}

void FakeHost::on_request(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<SeenRequest> FakeHost::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeHost::count(std::string_view op) const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& r : requests_) n += r.op == op ? 1 : 0;
  return n;
}

void FakeHost::clear_requests() {
  std::lock_guard lock(mu_);
  requests_.clear();
}

std::vector<std::string> FakeHost::logs() const {
  std::lock_guard lock(mu_);
  return logs_;
}

double FakeHost::metric(const std::string& name, const std::string& labels) const {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < metric_names_.size(); ++i) {
    if (metric_names_[i] != name) continue;
    auto it = metric_values_.find({i + 1, labels});
    return it == metric_values_.end() ? 0 : it->second;
  }
  return 0;
}

iu_status FakeHost::http(iu_call* call, const iu_http_request* r, iu_http_response_fn fn,
                         void* user) {
  SeenRequest seen;
  seen.method = std::string(sv(r->method));
  seen.url = std::string(sv(r->url));
  seen.op = std::string(sv(r->op));
  seen.singleflight_key = std::string(sv(r->singleflight_key));
  seen.flags = r->flags;
  seen.max_body_bytes = r->max_body_bytes;
  for (uint64_t i = 0; i < r->header_count; ++i)
    seen.headers.emplace_back(sv(r->headers[i].key), sv(r->headers[i].value));
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(seen);
    handler = handler_;
  }
  if (!handler) {
    ADD_FAILURE() << "unexpected request " << seen.method << " " << seen.url;
    call->error = "no handler";
    return IU_STATUS_INTERNAL;
  }
  Reply reply = handler(seen);
  if (reply.transport != IU_STATUS_OK) {
    call->error = "fake transport failure";
    return reply.transport;
  }
  uint64_t limit = r->max_body_bytes == 0 ? (16u << 20) : r->max_body_bytes;
  if (reply.body.size() > limit) {
    call->error = "response body over " + std::to_string(limit) + " bytes";
    return IU_STATUS_INVALID_ARGUMENT;
  }
  if (seen.method == "HEAD") reply.body.clear();
  std::vector<std::pair<std::string, std::string>> lowered;
  for (const auto& [k, v] : reply.headers) lowered.emplace_back(lower(k), v);
  std::vector<iu_kv> kv;
  for (const auto& [k, v] : lowered) kv.push_back(iu_kv{sdk::str(k), sdk::str(v)});
  iu_http_response resp{sizeof(iu_http_response), reply.status,      kv.data(), kv.size(),
                        sdk::str(reply.body),     sdk::str(seen.url)};
  fn(user, &resp);
  return IU_STATUS_OK;
}

void FakeHost::log(std::string line) {
  std::lock_guard lock(mu_);
  logs_.push_back(std::move(line));
}

uint64_t FakeHost::declare(const std::string& name) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < metric_names_.size(); ++i)
    if (metric_names_[i] == name) return i + 1;
  metric_names_.push_back(name);
  return metric_names_.size();
}

void FakeHost::update(uint64_t id, const std::string& labels, double value) {
  std::lock_guard lock(mu_);
  metric_values_[{id, labels}] += value;
}

}  // namespace iu::test
