// The tag filters applied to a repository's tag list before any strategy runs (SPEC.md §6.1,
// §6.2): allowTags (a regular expression) and then ignoreTags (globs).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iu::model {

// Why a filter could not be compiled. The caller turns it into a §14 message by naming the
// object and the field (`…allowTags: ` or `…ignoreTags[2]: `, or the annotation equivalents).
struct TagFilterError {
  enum class Field { kAllowTags, kIgnoreTags };
  Field field = Field::kAllowTags;
  std::size_t index = 0;  // position in the ignoreTags list when field is kIgnoreTags
  std::string message;    // e.g. `invalid regexp "(": missing ): (`
};

// An immutable, compiled pair of filters. Cheap to copy (shared state) and safe to use from
// several threads at once.
class TagFilter {
 public:
  // A filter that passes every tag.
  TagFilter();

  // Compiles the settings. allowTags:
  //   std::nullopt, "" or "any"  every tag passes;
  //   "regexp:<pattern>"         tags in which the RE2 pattern is found (unanchored search;
  //                              anchor with ^ and $); a pattern RE2 rejects is an error
  //                              carrying RE2's own message;
  //   anything else              an error (upstream silently matched nothing).
  // The keywords `any` and `regexp` are case-insensitive, as upstream reads them.
  // Every ignoreTags entry must be a valid glob (see Glob). On failure returns std::nullopt
  // and fills `*error` (when given) with the first problem, allowTags first.
  static std::optional<TagFilter> compile(std::optional<std::string_view> allow_tags,
                                          std::span<const std::string> ignore_tags,
                                          TagFilterError* error = nullptr);

  // True when `tag` passes allowTags and matches no ignoreTags glob.
  bool accepts(std::string_view tag) const;

  // Indices, ascending, of the tags that pass. Each tag meets the regexp first and the globs
  // only if the regexp kept it (the order of §6).
  std::vector<std::size_t> apply(std::span<const std::string_view> tags) const;
  std::vector<std::size_t> apply(std::span<const std::string> tags) const;

  // True when the filter keeps every tag (no regexp, no ignore globs), so callers can skip it.
  bool passes_all() const;

 private:
  struct State;
  explicit TagFilter(std::shared_ptr<const State> state);

  std::shared_ptr<const State> state_;
};

}  // namespace iu::model
