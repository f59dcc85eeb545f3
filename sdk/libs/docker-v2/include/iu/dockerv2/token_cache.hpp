// Bearer tokens cached per key (realm, service, scope, credential identity) until shortly before
// they expire, fetched by one caller at a time per key (SPEC §7.5, §7.6).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace iu::dockerv2 {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;

  // What a fetch produced: the token and the server's `expires_in` in seconds, if it gave one.
  struct Fetched {
    std::string token;
    std::optional<int64_t> expires_in;
  };

  struct Lookup {
    std::string token;
    bool cached = false;  // true when no fetch was made for this call (a hit)
  };

  // `now` is the clock (injectable for tests).
  explicit TokenCache(std::function<Clock::time_point()> now = &Clock::now);

  // A valid token for `key`. A cached token is returned unless it equals `stale` (the caller
  // just saw the registry reject it). Otherwise one caller runs `fetch` while concurrent callers
  // for the same key wait for it and share its token or its failure (the exception is copied to
  // them: iu::sdk::Error keeps its status, anything else becomes IU_STATUS_INTERNAL). Waiting
  // callers poll `cancelled` every 50 ms and throw iu::sdk::Error(IU_STATUS_CANCELLED) when it
  // returns true.
  Lookup get(const std::string& key, std::string_view stale, const std::function<bool()>& cancelled,
             const std::function<Fetched()>& fetch);

  // Forgets `key`'s token if it is still `token` (a newer one fetched meanwhile is kept).
  void drop(const std::string& key, std::string_view token);

  // How long a token is used: `expires_in` minus 10 %; a missing or non-positive `expires_in`
  // counts as 60 s (the default of the Docker token specification).
  static std::chrono::milliseconds lifetime(std::optional<int64_t> expires_in);

  // Number of cached tokens (including expired ones not yet purged).
  size_t size() const;

 private:
  struct Entry {
    std::string token;
    Clock::time_point expires;
  };
  struct Flight;

  void purge_expired(Clock::time_point now);  // requires mu_

  std::function<Clock::time_point()> now_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  std::map<std::string, Entry, std::less<>> tokens_;
  std::map<std::string, std::shared_ptr<Flight>, std::less<>> flights_;
};

}  // namespace iu::dockerv2
