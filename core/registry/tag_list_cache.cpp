#include "registry/tag_list_cache.hpp"

#include "registry/cache_metrics.hpp"

namespace iu::registry {
namespace {

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TagListCache::TagListCache(Options options) : options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = &system_now_ms;
}

bool TagListCache::usable(const Entry& e, int64_t now) const {
  return options_.ttl.count() == 0 || now - e.fetched_at_ms < options_.ttl.count();
}

std::shared_ptr<const TagList> TagListCache::get(const TagListKey& key, bool bypass,
                                                 const std::function<TagList()>& fetch) {
  if (!bypass) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && usable(it->second, options_.now_ms())) {
      record_cache_lookup("tags", true);
      return it->second.tags;
    }
  }
  record_cache_lookup("tags", false);
  if (bypass) {
    // A webhook reports a push that an older flight may not have seen: fetch on our own.
    auto tags = std::make_shared<const TagList>(fetch());
    std::lock_guard lock(mu_);
    entries_[key] = Entry{tags, options_.now_ms()};
    set_cache_entries("tags", entries_.size());
    return tags;
  }
  return flights_.run(key, [&] { return fetch_and_store(key, fetch); });
}

std::shared_ptr<const TagList> TagListCache::fetch_and_store(
    const TagListKey& key, const std::function<TagList()>& fetch) {
  auto tags = std::make_shared<const TagList>(fetch());
  std::lock_guard lock(mu_);
  entries_[key] = Entry{tags, options_.now_ms()};
  set_cache_entries("tags", entries_.size());
  return tags;
}

void TagListCache::begin_pass() {
  std::lock_guard lock(mu_);
  if (options_.ttl.count() == 0) {
    entries_.clear();
  } else {
    const int64_t now = options_.now_ms();
    std::erase_if(entries_, [&](const auto& kv) { return !usable(kv.second, now); });
  }
  set_cache_entries("tags", entries_.size());
}

std::size_t TagListCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace iu::registry
