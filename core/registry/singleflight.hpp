// Shares one execution of an operation among identical concurrent callers (SPEC §7.5): the
// first caller for a key (the leader) runs it; callers arriving while it runs (followers) wait
// and receive the leader's result or its exception. Nothing is remembered after the flight
// lands; caching is the caller's business. Thread-safe.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace iu::registry {

enum class FlightRole { leader, follower };

template <typename Key, typename Value>
class Singleflight {
 public:
  // Runs fn() once per concurrent group of callers with an equal key. `role`, when given,
  // tells the caller whether it ran fn itself.
  template <typename Fn>
  Value run(const Key& key, Fn&& fn, FlightRole* role = nullptr) {
    std::shared_future<Value> flight;
    std::promise<Value> promise;
    bool leader = false;
    {
      std::lock_guard lock(mu_);
      auto it = flights_.find(key);
      if (it != flights_.end()) {
        flight = it->second;
      } else {
        flight = promise.get_future().share();
        flights_.emplace(key, flight);
        leader = true;
      }
    }
    if (role != nullptr) *role = leader ? FlightRole::leader : FlightRole::follower;
    if (!leader) return flight.get();
    try {
      promise.set_value(fn());
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
    {
      std::lock_guard lock(mu_);
      flights_.erase(key);
    }
    return flight.get();
  }

 private:
  std::mutex mu_;
  std::map<Key, std::shared_future<Value>> flights_;
};

}  // namespace iu::registry
