#include "model/tag_filter.hpp"

#include <re2/re2.h>

#include "model/glob.hpp"

namespace iu::model {

// RE2 objects are immutable after construction and their matching methods are thread-safe,
// which is what lets one compiled filter be shared by every worker.
struct TagFilter::State {
  std::unique_ptr<const RE2> allow;  // null: every tag is allowed
  std::vector<Glob> ignore;
};

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != lower[i]) return false;
  }
  return true;
}

bool fail(TagFilterError* error, TagFilterError::Field field, std::size_t index,
          std::string message) {
  if (error != nullptr) *error = TagFilterError{field, index, std::move(message)};
  return false;
}

// Compiles an allowTags value. `out` stays null when every tag is allowed.
bool compile_allow(std::string_view value, std::unique_ptr<const RE2>& out, TagFilterError* error) {
  using Field = TagFilterError::Field;
  if (value.empty() || equals_ignoring_case(value, "any")) return true;
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos || !equals_ignoring_case(value.substr(0, colon), "regexp")) {
    return fail(error, Field::kAllowTags, 0,
                "unsupported value \"" + std::string(value) +
                    "\" (expected \"any\" or \"regexp:<pattern>\")");
  }
  const std::string_view pattern = value.substr(colon + 1);
  RE2::Options options;
  options.set_log_errors(false);  // the error goes to the caller, not to stderr
  auto re = std::make_unique<const RE2>(pattern, options);
  if (!re->ok()) {
    return fail(error, Field::kAllowTags, 0,
                "invalid regexp \"" + std::string(pattern) + "\": " + re->error());
  }
  out = std::move(re);
  return true;
}

template <typename Tag>
std::vector<std::size_t> indices_passing(const TagFilter& filter, std::span<const Tag> tags) {
  std::vector<std::size_t> kept;
  kept.reserve(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (filter.accepts(tags[i])) kept.push_back(i);
  }
  return kept;
}

}  // namespace

TagFilter::TagFilter() : state_(std::make_shared<const State>()) {}

TagFilter::TagFilter(std::shared_ptr<const State> state) : state_(std::move(state)) {}

std::optional<TagFilter> TagFilter::compile(std::optional<std::string_view> allow_tags,
                                            std::span<const std::string> ignore_tags,
                                            TagFilterError* error) {
  auto state = std::make_shared<State>();
  if (!compile_allow(allow_tags.value_or(""), state->allow, error)) return std::nullopt;
  for (std::size_t i = 0; i < ignore_tags.size(); ++i) {
    std::string problem;
    std::optional<Glob> glob = Glob::compile(ignore_tags[i], &problem);
    if (!glob) {
      fail(error, TagFilterError::Field::kIgnoreTags, i, std::move(problem));
      return std::nullopt;
    }
    state->ignore.push_back(std::move(*glob));
  }
  return TagFilter(std::move(state));
}

bool TagFilter::accepts(std::string_view tag) const {
  if (state_->allow && !RE2::PartialMatch(tag, *state_->allow)) return false;
  for (const Glob& glob : state_->ignore) {
    if (glob.match(tag)) return false;
  }
  return true;
}

std::vector<std::size_t> TagFilter::apply(std::span<const std::string_view> tags) const {
  return indices_passing(*this, tags);
}

std::vector<std::size_t> TagFilter::apply(std::span<const std::string> tags) const {
  return indices_passing(*this, tags);
}

bool TagFilter::passes_all() const { return !state_->allow && state_->ignore.empty(); }

}  // namespace iu::model
