// Drives strategy factories through their C vtables the way the core does: a fake host table,
// one iu_call per method call, candidates passed with a stride wider than the SDK's struct (so a
// plugin that indexes by sizeof instead of the stride reads garbage), and an index sink that
// records what rank() puts.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iu/plugin.h"

// The host's opaque per-call context, as this fake host defines it.
struct iu_call {
  std::string error;                                  // last message given to set_error
  std::vector<std::pair<int32_t, std::string>> logs;  // (level, message) in call order
};

namespace iu::test {

// The fake host table. log, set_error, cancelled (never), remaining_ms (no deadline) and
// config_get (no keys) work; the other services record a test failure when used, since no
// strategy has a reason to call them.
const iu_host_api* fake_host();

// Makes fake_host() the table iu::sdk::host_api() returns in this binary (for the factories
// linked in from iu_strategies_impl; a loaded module gets it through its entry point instead).
void install_fake_host();

struct Candidate {
  std::string tag;
  int64_t created_ms = 0;
};

// What one vtable call returned and what it did through the host.
struct Outcome {
  iu_status status = IU_STATUS_OK;
  std::vector<uint64_t> indices;  // rank(): the indices put into the sink, in order
  std::string error;              // the message set through set_error ("" when none)
  std::vector<std::pair<int32_t, std::string>> logs;
};

// One instance created through a strategy factory's vtable; destroyed with this object.
class StrategyUnderTest {
 public:
  explicit StrategyUnderTest(const iu_factory* factory);
  ~StrategyUnderTest();
  StrategyUnderTest(const StrategyUnderTest&) = delete;
  StrategyUnderTest& operator=(const StrategyUnderTest&) = delete;

  const iu_strategy_vtable& vtable() const { return *vtable_; }

  Outcome validate(std::string_view version) const;

  // Calls rank() with the candidates in the given order. `on_put` replaces the default sink
  // behaviour (recording the index), e.g. to throw from inside the plugin's call.
  Outcome rank(std::string_view version, const std::vector<Candidate>& candidates,
               uint64_t max_results = 0,
               const std::function<void(uint64_t)>& on_put = nullptr) const;

 private:
  const iu_strategy_vtable* vtable_;
  void* instance_ = nullptr;
};

// Candidates with the given tags and created_ms 0.
std::vector<Candidate> tags(std::initializer_list<const char*> names);

// The tags of `outcome.indices`, in order.
std::vector<std::string> ranked_tags(const Outcome& outcome,
                                     const std::vector<Candidate>& candidates);

}  // namespace iu::test
