// `semver` (the default strategy, SPEC.md §6.4): candidates are the filtered tags that parse as
// lenient semantic versions and satisfy the constraint in imageName (empty = none, i.e. `*`:
// releases only). They are ordered by precedence, ties by the original tag text byte-wise, and
// the last one wins. No metadata; the host walks the ranking lazily when platforms are set
// explicitly. Parsing, checking and ordering are iu_semver's (Masterminds/semver v3.4.0
// semantics); this class only adapts them to the strategy ABI.
//
// Parsed constraints are deliberately not cached. A constraint is parsed at most twice per image
// and pass (validate, rank): about 1 us, against 4-15 us for ranking 100 tags in the same call
// and milliseconds for the registry round trips before it. A cache would have to be shared by
// every worker thread calling this concurrent instance, i.e. a lock plus a hash per call, to
// save a microsecond.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "constraint.hpp"
#include "iu/plugin.hpp"
#include "select.hpp"
#include "strategies.hpp"

namespace iu::strategies {
namespace {

// The image's constraint; a text that does not parse is a configuration error for the image.
semver::Constraint parse_constraint(std::string_view text) {
  std::string reason;
  std::optional<semver::Constraint> constraint = semver::Constraint::parse_or_any(text, &reason);
  if (!constraint)
    throw sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                     "invalid semver constraint \"" + std::string(text) + "\": " + reason);
  return std::move(*constraint);
}

// One debug line per image: `<image>: semver constraint "~1.2": best of 12 tags is "1.2.7"`,
// or `...: none of 12 tags is a version satisfying it`.
std::string describe(const sdk::SelectRequest& req, size_t count,
                     std::optional<std::string_view> best) {
  std::string line(req.image);
  line += ": semver constraint \"";
  line += req.version.empty() ? std::string_view("*") : req.version;
  line += best ? "\": best of " : "\": none of ";
  line += std::to_string(count);
  if (best) {
    line += " tags is \"";
    line += *best;
    line += '"';
  } else {
    line += " tags is a version satisfying it";
  }
  return line;
}

class Semver final : public sdk::Strategy {
 public:
  explicit Semver(sdk::Call&) {}

  void validate(sdk::Call&, std::string_view version) override { parse_constraint(version); }

  void rank(sdk::Call& call, const sdk::SelectRequest& req, sdk::IndexSink& out) override {
    const semver::Constraint constraint = parse_constraint(req.version);
    std::vector<std::string_view> tags(static_cast<size_t>(req.candidates.size()));
    for (size_t i = 0; i < tags.size(); ++i) tags[i] = req.tag(i);

    std::optional<size_t> best;
    if (req.max_results == 1) {
      // One linear pass: the common case (no explicit platforms) needs only the winner.
      best = semver::select_best(tags, constraint);
      if (best) out.put(*best);
    } else {
      const std::vector<size_t> ranked = semver::rank(tags, constraint);
      const size_t limit = req.max_results == 0 || req.max_results >= ranked.size()
                               ? ranked.size()
                               : static_cast<size_t>(req.max_results);
      for (size_t i = 0; i < limit; ++i) out.put(ranked[i]);
      if (!ranked.empty()) best = ranked.front();
    }
    // Tags that are not versions or miss the constraint are dropped without a word each
    // (§6.4: debug level); one line per image says what came of them.
    call.debug(describe(req, tags.size(), best ? std::optional(req.tag(*best)) : std::nullopt));
  }
};

}  // namespace

const iu_factory* semver_factory() {
  static const iu_factory* const factory = sdk::strategy_factory<Semver>(
      "semver", sdk::StrategyTraits{0, IU_RESULT_TAG, IU_PLATFORMS_LAZY},
      sdk::FactoryOptions{"highest semantic version satisfying the constraint in imageName",
                          IU_FACTORY_CONCURRENT,
                          {},
                          {}});
  return factory;
}

}  // namespace iu::strategies
