// The tag-list cache of SPEC §7.6: one listing per (endpoint, repository, credential identity),
// shared by every application that uses the image.
//  * ttl == 0 (`cycle` loop): an entry lives for the rest of the current pass; begin_pass()
//    forgets everything.
//  * ttl > 0 (`continuous` loop, --tag-list-ttl): an entry is reused until it is ttl old.
// Concurrent misses for one key share one fetch (singleflight); a failed fetch is not cached.
// A bypassing lookup (webhook-triggered check) always fetches and replaces the entry.
// Thread-safe.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_host/kinds.hpp"
#include "registry/singleflight.hpp"

namespace iu::registry {

using TagList = std::vector<plugin_host::TagInfo>;

struct TagListKey {
  std::string endpoint, repository, identity;
  auto operator<=>(const TagListKey&) const = default;
};

class TagListCache {
 public:
  struct Options {
    std::chrono::milliseconds ttl{0};  // 0: pass-scoped
    std::function<int64_t()> now_ms;   // Unix ms; default: the system clock
  };

  explicit TagListCache(Options options);

  // The cached list, or the result of fetch() (shared with concurrent identical lookups).
  // Exceptions from fetch() reach every caller that shared the flight.
  std::shared_ptr<const TagList> get(const TagListKey& key, bool bypass,
                                     const std::function<TagList()>& fetch);

  // Starts a pass: pass-scoped entries are dropped, expired TTL entries pruned.
  void begin_pass();

  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const TagList> tags;
    int64_t fetched_at_ms = 0;
  };
  bool usable(const Entry& e, int64_t now) const;
  std::shared_ptr<const TagList> fetch_and_store(const TagListKey& key,
                                                 const std::function<TagList()>& fetch);

  Options options_;
  mutable std::mutex mu_;
  std::map<TagListKey, Entry> entries_;
  Singleflight<TagListKey, std::shared_ptr<const TagList>> flights_;
};

}  // namespace iu::registry
