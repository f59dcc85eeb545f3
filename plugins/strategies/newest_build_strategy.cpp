// `newest-build` (alias `latest`, SPEC.md §6.5): every filtered tag is a candidate, ordered by
// build time ascending, ties by tag name byte-wise ascending; the last one wins. The version text
// of imageName is ignored (the default validate accepts anything).
//
// The host supplies created_ms (config `created`, maximised over platform-matching children, or
// synthetic times for tagsortmode) and has already dropped tags without a matching platform or
// with an unparsable time, as the STRICT platform policy and IU_NEEDS_CREATED declare.
#include "iu/plugin.hpp"
#include "ranking.hpp"
#include "strategies.hpp"

namespace iu::strategies {
namespace {

// A missing `created` counts as the Unix epoch (§6.5). The host normally sends 0 for it
// already; IU_TIME_UNKNOWN is mapped too, so that such a tag does not rank below pre-1970 ones.
int64_t build_time(const iu_tag_candidate& c) noexcept {
  return c.created_ms == IU_TIME_UNKNOWN ? 0 : c.created_ms;
}

class NewestBuild final : public sdk::Strategy {
 public:
  explicit NewestBuild(sdk::Call&) {}

  void rank(sdk::Call&, const sdk::SelectRequest& req, sdk::IndexSink& out) override {
    const auto older = [&req](uint64_t a, uint64_t b) {
      const int64_t ta = build_time(req.candidates[a]);
      const int64_t tb = build_time(req.candidates[b]);
      if (ta != tb) return ta < tb;
      const int c = compare_bytes(req.tag(a), req.tag(b));
      return c != 0 ? c < 0 : a < b;
    };
    put_best_first(req.candidates.size(), req.max_results, older, out);
  }
};

}  // namespace

const iu_factory* newest_build_factory() {
  static const iu_factory* const factory = sdk::strategy_factory<NewestBuild>(
      "newest-build", sdk::StrategyTraits{IU_NEEDS_CREATED, IU_RESULT_TAG, IU_PLATFORMS_STRICT},
      sdk::FactoryOptions{"most recently built image (config created time), ties by tag name",
                          IU_FACTORY_CONCURRENT,
                          {},
                          {"latest"}});
  return factory;
}

}  // namespace iu::strategies
