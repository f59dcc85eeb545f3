#include "select.hpp"

#include <algorithm>

namespace iu::semver {
namespace {

// Both public overloads share one implementation over "anything indexable as string_view".
template <typename Tag>
std::optional<std::size_t> best_of(std::span<const Tag> tags, const Constraint& c) {
  std::optional<std::size_t> best;
  Version best_version;
  Version v;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (parse_version_into(std::string_view(tags[i]), v) != ParseError::kNone) continue;
    // Comparing is cheaper than checking, and a tag that does not beat the winner cannot
    // change the answer whether it satisfies the constraint or not.
    if (best && compare_candidates(v, best_version) <= 0) continue;
    if (!c.check(v)) continue;
    best = i;
    best_version = v;
  }
  return best;
}

template <typename Tag>
std::vector<std::size_t> ranked(std::span<const Tag> tags, const Constraint& c) {
  struct Candidate {
    std::size_t index;
    Version version;
  };
  std::vector<Candidate> candidates;
  Version v;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (parse_version_into(std::string_view(tags[i]), v) != ParseError::kNone) continue;
    if (c.check(v)) candidates.push_back({i, v});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return compare_candidates(a.version, b.version) > 0;
                   });
  std::vector<std::size_t> order;
  order.reserve(candidates.size());
  for (const Candidate& cand : candidates) order.push_back(cand.index);
  return order;
}

}  // namespace

std::optional<std::size_t> select_best(std::span<const std::string_view> tags,
                                       const Constraint& c) {
  return best_of(tags, c);
}

std::optional<std::size_t> select_best(std::span<const std::string> tags, const Constraint& c) {
  return best_of(tags, c);
}

std::vector<std::size_t> rank(std::span<const std::string_view> tags, const Constraint& c) {
  return ranked(tags, c);
}

std::vector<std::size_t> rank(std::span<const std::string> tags, const Constraint& c) {
  return ranked(tags, c);
}

}  // namespace iu::semver
