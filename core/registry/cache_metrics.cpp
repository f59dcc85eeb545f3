#include "registry/cache_metrics.hpp"

#include <string>

#include "metrics/registry.hpp"

namespace iu::registry {
namespace {

struct Families {
  uint64_t lookups;
  uint64_t entries;
};

const Families& families() {
  static const Families f{
      metrics::Registry::global().declare(
          metrics::Type::counter, "argocd_image_updater_cache_lookups_total",
          "Cache lookups by cache and result (hit, miss)", {"cache", "result"}),
      metrics::Registry::global().declare(metrics::Type::gauge,
                                          "argocd_image_updater_cache_entries",
                                          "Entries held per cache", {"cache"}),
  };
  return f;
}

}  // namespace

void record_cache_lookup(std::string_view cache, bool hit) {
  metrics::Registry::global().update(families().lookups, {std::string(cache), hit ? "hit" : "miss"},
                                     1);
}

void set_cache_entries(std::string_view cache, std::size_t entries) {
  metrics::Registry::global().update(families().entries, {std::string(cache)},
                                     static_cast<double>(entries));
}

}  // namespace iu::registry
