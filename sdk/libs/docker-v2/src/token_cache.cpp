#include "iu/dockerv2/token_cache.hpp"

#include <exception>

#include "iu/plugin.hpp"

namespace iu::dockerv2 {

// One fetch in progress; waiting callers share its outcome.
struct TokenCache::Flight {
  bool done = false;
  std::string token;
  iu_status status = IU_STATUS_OK;
  std::string error;
};

namespace {
// Tokens kept before expired ones are purged on insert (scopes x identities of one endpoint).
constexpr size_t kPurgeThreshold = 256;
}  // namespace

TokenCache::TokenCache(std::function<Clock::time_point()> now) : now_(std::move(now)) {}

std::chrono::milliseconds TokenCache::lifetime(std::optional<int64_t> expires_in) {
  int64_t seconds = (expires_in && *expires_in > 0) ? *expires_in : 60;
  // Minus 10 %, in milliseconds; capped so that a silly value cannot overflow the clock.
  constexpr int64_t kMaxSeconds = int64_t{10} * 365 * 24 * 3600;
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  return std::chrono::milliseconds(seconds * 900);
}

TokenCache::Lookup TokenCache::get(const std::string& key, std::string_view stale,
                                   const std::function<bool()>& cancelled,
                                   const std::function<Fetched()>& fetch) {
  std::shared_ptr<Flight> flight;
  {
    std::unique_lock lock(mu_);
    if (auto it = tokens_.find(key); it != tokens_.end()) {
      if (now_() < it->second.expires && it->second.token != stale)
        return Lookup{it->second.token, true};
    }
    if (auto it = flights_.find(key); it != flights_.end()) {
      std::shared_ptr<Flight> joined = it->second;
      while (!joined->done) {
        if (cancelled && cancelled())
          throw sdk::Error(IU_STATUS_CANCELLED, "cancelled while waiting for a registry token");
        done_.wait_for(lock, std::chrono::milliseconds(50));
      }
      if (joined->status != IU_STATUS_OK) throw sdk::Error(joined->status, joined->error);
      return Lookup{joined->token, false};
    }
    flight = std::make_shared<Flight>();
    flights_.emplace(key, flight);
  }

  Fetched fetched;
  try {
    fetched = fetch();
  } catch (...) {
    std::exception_ptr failure = std::current_exception();
    {
      std::lock_guard lock(mu_);
      try {
        throw;
      } catch (const sdk::Error& e) {
        flight->status = e.status();
        flight->error = e.what();
      } catch (const std::exception& e) {
        flight->status = IU_STATUS_INTERNAL;
        flight->error = e.what();
      } catch (...) {
        flight->status = IU_STATUS_INTERNAL;
        flight->error = "unknown failure while fetching a registry token";
      }
      flight->done = true;
      flights_.erase(key);
    }
    done_.notify_all();
    std::rethrow_exception(failure);
  }

  {
    std::lock_guard lock(mu_);
    Clock::time_point now = now_();
    if (tokens_.size() >= kPurgeThreshold) purge_expired(now);
    tokens_[key] = Entry{fetched.token, now + lifetime(fetched.expires_in)};
    flight->token = fetched.token;
    flight->done = true;
    flights_.erase(key);
  }
  done_.notify_all();
  return Lookup{std::move(fetched.token), false};
}

void TokenCache::drop(const std::string& key, std::string_view token) {
  std::lock_guard lock(mu_);
  if (auto it = tokens_.find(key); it != tokens_.end() && it->second.token == token)
    tokens_.erase(it);
}

size_t TokenCache::size() const {
  std::lock_guard lock(mu_);
  return tokens_.size();
}

void TokenCache::purge_expired(Clock::time_point now) {
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    if (it->second.expires <= now)
      it = tokens_.erase(it);
    else
      ++it;
  }
}

}  // namespace iu::dockerv2
