// Cached credential resolution with the lifetimes of SPEC §8, shared by concurrent callers.
//
//  * Registry-level references (registries.conf `credentials`) are resolved on first use and
//    kept; with `credsexpire` > 0 they are resolved again once that long has passed since the
//    last resolution. Failures are not kept: the next request tries again.
//  * Image-level references (an image's `pullSecret`) are resolved at most once per pass,
//    successes and failures alike, and forgotten when the next pass begins.
//
// The caller says which lifetime applies by the method it calls. Concurrent requests for the
// same entry share one resolution (SPEC §7.5 singleflight, keyed by the reference) and all see
// its result or its error. Entries of `pullsecret:` references are per registry host (and, for
// image-level ones, per repository) because the `auths` entry depends on them; other kinds are
// per reference text. Lookups count in argocd_image_updater_cache_lookups_total{cache=
// "credentials"}.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "credentials/resolver.hpp"

namespace iu::credentials {

class CredentialCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Clock = std::function<TimePoint()>;

  // `clock` defaults to std::chrono::steady_clock::now; tests pass their own.
  explicit CredentialCache(std::shared_ptr<const Resolver> resolver, Clock clock = {});

  // Registry-level credentials for a request to `registry_host`. `credsexpire` 0 = never
  // re-resolved (until invalidate()). Throws CredentialError (also a shared one from a
  // concurrent resolution).
  Credential registry_credential(std::string_view ref, std::string_view registry_host,
                                 std::chrono::nanoseconds credsexpire);

  // Image-level credentials for `registry_host`/`repository`, resolved at most once per pass.
  Credential pass_credential(std::string_view ref, std::string_view registry_host,
                             std::string_view repository = {});

  // Starts a new pass: image-level results (and errors) are forgotten. Resolutions still
  // running finish for their waiting callers but are not kept.
  void begin_pass();

  // Forgets every entry of `ref` (both lifetimes), e.g. after the registry answered 401/403 with
  // these credentials, so the next request resolves them again.
  void invalidate(std::string_view ref);

  // Entries currently held (finished or running).
  std::size_t size() const;

 private:
  struct Entry;
  struct Key {
    bool pass_scope;
    std::string ref, host, repository;
    auto operator<=>(const Key&) const = default;
  };

  Credential lookup(Key key, std::chrono::nanoseconds expire);

  std::shared_ptr<const Resolver> resolver_;
  Clock clock_;
  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<Entry>> entries_;
};

}  // namespace iu::credentials
