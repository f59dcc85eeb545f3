// `alphabetical` (alias `name`, SPEC.md §6.6): every filtered tag is a candidate; they are
// ordered byte-wise ascending (no locale, no natural sort) and the last one wins. The version
// text of imageName is not used. No metadata; the host walks the ranking lazily when platforms
// are set explicitly.
#include "iu/plugin.hpp"
#include "ranking.hpp"
#include "strategies.hpp"

namespace iu::strategies {
namespace {

class Alphabetical final : public sdk::Strategy {
 public:
  explicit Alphabetical(sdk::Call&) {}

  void rank(sdk::Call&, const sdk::SelectRequest& req, sdk::IndexSink& out) override {
    // Identical tags (a host should not send any) fall back to the index to stay a total order.
    const auto less = [&req](uint64_t a, uint64_t b) {
      const int c = compare_bytes(req.tag(a), req.tag(b));
      return c != 0 ? c < 0 : a < b;
    };
    put_best_first(req.candidates.size(), req.max_results, less, out);
  }
};

}  // namespace

const iu_factory* alphabetical_factory() {
  static const iu_factory* const factory = sdk::strategy_factory<Alphabetical>(
      "alphabetical", sdk::StrategyTraits{0, IU_RESULT_TAG, IU_PLATFORMS_LAZY},
      sdk::FactoryOptions{"last tag in byte-wise order", IU_FACTORY_CONCURRENT, {}, {"name"}});
  return factory;
}

}  // namespace iu::strategies
