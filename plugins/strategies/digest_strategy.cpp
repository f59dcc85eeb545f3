// `digest` (SPEC.md §6.7): the version text of imageName names the tag to track. The only
// candidate is that tag, when it survived the host's filters; the host then resolves the digest
// the registry serves for it right now (IU_RESULT_FRESH_DIGEST, never from its tag cache) and
// checks the winner's platforms (IU_PLATFORMS_WINNER).
#include <string>

#include "iu/plugin.hpp"
#include "strategies.hpp"

namespace iu::strategies {
namespace {

// Without a tag there is nothing to track: a configuration error for the image.
void require_tag(std::string_view version) {
  if (version.empty())
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "the digest strategy needs the tag to track in imageName "
                     "(e.g. \"nginx:latest\")");
}

class Digest final : public sdk::Strategy {
 public:
  explicit Digest(sdk::Call&) {}

  void validate(sdk::Call&, std::string_view version) override { require_tag(version); }

  // Puts the first candidate whose tag equals the version text exactly; nothing when the tag is
  // absent (the host reports "no matching tags"). max_results >= 1 always admits one result.
  void rank(sdk::Call&, const sdk::SelectRequest& req, sdk::IndexSink& out) override {
    require_tag(req.version);
    for (uint64_t i = 0; i < req.candidates.size(); ++i) {
      if (req.tag(i) == req.version) {
        out.put(i);
        return;
      }
    }
  }
};

}  // namespace

const iu_factory* digest_factory() {
  static const iu_factory* const factory = sdk::strategy_factory<Digest>(
      "digest", sdk::StrategyTraits{0, IU_RESULT_FRESH_DIGEST, IU_PLATFORMS_WINNER},
      sdk::FactoryOptions{
          "current digest of the tag named in imageName", IU_FACTORY_CONCURRENT, {}, {}});
  return factory;
}

}  // namespace iu::strategies
