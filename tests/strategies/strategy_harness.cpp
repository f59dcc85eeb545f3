#include "strategy_harness.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "iu/plugin.hpp"

namespace iu::test {
namespace {

void fake_log(iu_call* call, int32_t level, iu_str message) {
  call->logs.emplace_back(level, std::string(sdk::view(message)));
}
void fake_set_error(iu_call* call, iu_str message) { call->error.assign(sdk::view(message)); }
int32_t fake_cancelled(iu_call*) { return 0; }
int64_t fake_remaining_ms(iu_call*) { return std::numeric_limits<int64_t>::max(); }
iu_status fake_config_get(iu_call*, iu_str, const iu_str_sink*) { return IU_STATUS_NOT_FOUND; }

iu_status unexpected_http(iu_call*, const iu_http_request*, iu_http_response_fn, void*) {
  ADD_FAILURE() << "a strategy called the host's http service";
  return IU_STATUS_UNSUPPORTED;
}
iu_status unexpected_secret(iu_call*, iu_str, iu_str, const iu_str_sink*) {
  ADD_FAILURE() << "a strategy called the host's resolve_secret service";
  return IU_STATUS_UNSUPPORTED;
}
uint64_t unexpected_metric_declare(iu_call*, int32_t, iu_str, iu_str, iu_str) {
  ADD_FAILURE() << "a strategy declared a metric";
  return 0;
}
void unexpected_metric_update(iu_call*, uint64_t, iu_str, double) {
  ADD_FAILURE() << "a strategy updated a metric";
}

// A host-side candidate as a newer host might lay it out: the 1.0 struct followed by fields this
// SDK does not know. They hold garbage so that ignoring the stride shows up as wrong results.
struct WideCandidate {
  iu_tag_candidate c;
  uint64_t future[3];
};

}  // namespace

const iu_host_api* fake_host() {
  static const iu_host_api host = {
      sizeof(iu_host_api),
      IU_ABI_MAJOR,
      IU_ABI_MINOR,
      "test",
      &fake_log,
      &fake_set_error,
      &fake_cancelled,
      &fake_remaining_ms,
      &fake_config_get,
      &unexpected_http,
      &unexpected_secret,
      &unexpected_metric_declare,
      &unexpected_metric_update,
  };
  return &host;
}

void install_fake_host() { sdk::host_api() = fake_host(); }

StrategyUnderTest::StrategyUnderTest(const iu_factory* factory) {
  if (factory == nullptr || factory->kind != IU_KIND_STRATEGY || factory->vtable == nullptr)
    throw std::invalid_argument("not a strategy factory");
  vtable_ = static_cast<const iu_strategy_vtable*>(factory->vtable);
  iu_call call;
  if (iu_status st = vtable_->create(&call, &instance_); st != IU_STATUS_OK)
    throw std::runtime_error("create failed: " + call.error);
}

StrategyUnderTest::~StrategyUnderTest() { vtable_->destroy(instance_); }

Outcome StrategyUnderTest::validate(std::string_view version) const {
  iu_call call;
  Outcome out;
  out.status = vtable_->validate(instance_, &call, sdk::str(version));
  out.error = std::move(call.error);
  out.logs = std::move(call.logs);
  return out;
}

Outcome StrategyUnderTest::rank(std::string_view version, const std::vector<Candidate>& candidates,
                                uint64_t max_results,
                                const std::function<void(uint64_t)>& on_put) const {
  std::vector<WideCandidate> wide(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    wide[i].c = iu_tag_candidate{sizeof(iu_tag_candidate), sdk::str(candidates[i].tag),
                                 candidates[i].created_ms, iu_str{}, IU_TIME_UNKNOWN};
    for (uint64_t& f : wide[i].future) f = ~uint64_t{0};
  }
  const iu_select_request request{sizeof(iu_select_request),
                                  sdk::str(version),
                                  sdk::str("registry.test/acme/app"),
                                  wide.empty() ? nullptr : &wide[0].c,
                                  wide.size(),
                                  sizeof(WideCandidate),
                                  max_results};
  Outcome out;
  struct SinkState {
    Outcome* out;
    const std::function<void(uint64_t)>* on_put;
  } state{&out, &on_put};
  const iu_index_sink sink{sizeof(iu_index_sink), &state, [](void* user, uint64_t index) {
                             auto* s = static_cast<SinkState*>(user);
                             if (*s->on_put) (*s->on_put)(index);
                             s->out->indices.push_back(index);
                           }};
  iu_call call;
  out.status = vtable_->rank(instance_, &call, &request, &sink);
  out.error = std::move(call.error);
  out.logs = std::move(call.logs);
  return out;
}

std::vector<Candidate> tags(std::initializer_list<const char*> names) {
  std::vector<Candidate> out;
  for (const char* n : names) out.push_back(Candidate{n, 0});
  return out;
}

std::vector<std::string> ranked_tags(const Outcome& outcome,
                                     const std::vector<Candidate>& candidates) {
  std::vector<std::string> out;
  for (uint64_t i : outcome.indices) {
    if (i >= candidates.size()) {
      ADD_FAILURE() << "rank put index " << i << " for " << candidates.size() << " candidates";
      out.push_back("<out of range>");
    } else {
      out.push_back(candidates[i].tag);
    }
  }
  return out;
}

}  // namespace iu::test
