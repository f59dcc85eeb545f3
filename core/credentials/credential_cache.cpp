#include "credentials/credential_cache.hpp"

#include <future>
#include <optional>

#include "credentials/docker_config.hpp"
#include "metrics/registry.hpp"

namespace iu::credentials {
namespace {

uint64_t lookups_metric() {
  static const uint64_t id = metrics::Registry::global().declare(
      metrics::Type::counter, "argocd_image_updater_cache_lookups_total",
      "Cache lookups by cache and result", {"cache", "result"});
  return id;
}

void count_lookup(bool hit) {
  metrics::Registry::global().update(lookups_metric(), {"credentials", hit ? "hit" : "miss"}, 1);
}

}  // namespace

struct CredentialCache::Entry {
  std::shared_future<Credential> result;
  std::optional<TimePoint> resolved_at;  // set once the resolution has finished
};

CredentialCache::CredentialCache(std::shared_ptr<const Resolver> resolver, Clock clock)
    : resolver_(std::move(resolver)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

Credential CredentialCache::registry_credential(std::string_view ref,
                                                std::string_view registry_host,
                                                std::chrono::nanoseconds credsexpire) {
  return lookup(Key{false, std::string(ref), std::string(registry_host), {}}, credsexpire);
}

Credential CredentialCache::pass_credential(std::string_view ref, std::string_view registry_host,
                                            std::string_view repository) {
  return lookup(Key{true, std::string(ref), std::string(registry_host), std::string(repository)},
                std::chrono::nanoseconds::zero());
}

Credential CredentialCache::lookup(Key key, std::chrono::nanoseconds expire) {
  std::string error;
  auto parsed = parse_ref(key.ref, &error);
  if (!parsed) throw CredentialError(error);
  // Only the `auths` choice of a pull secret depends on where the request goes.
  const std::string host = key.host, repository = key.repository;
  if (parsed->kind == RefKind::kPullSecret) {
    key.host = normalize_auths_key(key.host);
  } else {
    key.host.clear();
    key.repository.clear();
  }

  std::shared_ptr<Entry> entry;
  std::promise<Credential> promise;
  std::optional<std::shared_future<Credential>> shared;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      const Entry& e = *it->second;
      bool expired = !key.pass_scope && expire > std::chrono::nanoseconds::zero() &&
                     e.resolved_at && clock_() - *e.resolved_at >= expire;
      if (expired)
        entries_.erase(it);
      else
        shared = e.result;
    }
    count_lookup(shared.has_value());
    if (!shared) {
      entry = std::make_shared<Entry>();
      entry->result = promise.get_future().share();
      entries_[key] = entry;
    }
  }
  // Waits outside the lock: the resolution may still be running in another caller.
  if (shared) return shared->get();

  bool failed = false;
  try {
    promise.set_value(resolver_->resolve(*parsed, host, repository));
  } catch (...) {
    failed = true;
    promise.set_exception(std::current_exception());
  }
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second == entry) {
      // Registry-level failures are not kept; the waiting callers already share this one.
      if (failed && !key.pass_scope) {
        entries_.erase(it);
      } else {
        entry->resolved_at = clock_();
      }
    }
  }
  return entry->result.get();
}

void CredentialCache::begin_pass() {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [](const auto& kv) { return kv.first.pass_scope; });
}

void CredentialCache::invalidate(std::string_view ref) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return kv.first.ref == ref; });
}

std::size_t CredentialCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace iu::credentials
