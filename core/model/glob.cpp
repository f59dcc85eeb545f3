#include "model/glob.hpp"

#include <cstddef>

namespace iu::model {
namespace {

constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t value;
  std::size_t size;
};

bool is_continuation(unsigned char b, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
  return b >= lo && b <= hi;
}

// Decodes the first UTF-8 sequence of a non-empty `s` the way Go's utf8.DecodeRuneInString
// does: any invalid, overlong, surrogate or truncated sequence yields U+FFFD of size 1.
Rune decode_rune(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t size = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  char32_t value = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    size = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    size = 3;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    size = 4;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    return {kRuneError, 1};
  }
  if (s.size() < size) return {kRuneError, 1};
  for (std::size_t i = 1; i < size; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (!(i == 1 ? is_continuation(b, lo, hi) : is_continuation(b))) return {kRuneError, 1};
    value = (value << 6) | (b & 0x3F);
  }
  return {value, size};
}

// Reads one class character (possibly `\`-escaped) at chunk[i] and advances i. `upper` says
// whether it is the upper bound of a range, only for the wording of errors. Returns the
// problem, or nullptr. On success a character still follows (the class must be closed).
const char* read_class_char(std::string_view chunk, std::size_t& i, bool upper, char32_t& out) {
  constexpr const char* kUnclosed = "unclosed '['";
  if (i >= chunk.size()) return kUnclosed;
  if (chunk[i] == '-' || chunk[i] == ']') {
    if (upper) return "range without an upper bound in character class";
    return chunk[i] == '-' ? "'-' without a lower bound in character class (escape it as \\-)"
                           : "character class starts with ']' (escape it as \\])";
  }
  if (chunk[i] == '\\' && ++i >= chunk.size()) return kUnclosed;
  const Rune r = decode_rune(chunk.substr(i));
  if (r.value == kRuneError && r.size == 1) return "invalid UTF-8 in character class";
  i += r.size;
  if (i >= chunk.size()) return kUnclosed;
  out = r.value;
  return nullptr;
}

// Scans a class whose '[' precedes chunk[i]; leaves i after its ']'. Sets `member` to whether
// rune `r` belongs to the class (negation applied). Returns the problem, or nullptr.
const char* scan_class(std::string_view chunk, std::size_t& i, char32_t r, bool& member) {
  bool negated = false;
  if (i < chunk.size() && chunk[i] == '^') {
    negated = true;
    ++i;
  }
  bool in_class = false;
  for (std::size_t items = 0;; ++items) {
    if (items > 0 && i < chunk.size() && chunk[i] == ']') {
      ++i;
      break;
    }
    char32_t lo = 0;
    if (const char* problem = read_class_char(chunk, i, false, lo)) return problem;
    char32_t hi = lo;
    if (chunk[i] == '-') {
      ++i;
      if (const char* problem = read_class_char(chunk, i, true, hi)) return problem;
    }
    // A reversed range (`[z-a]`) is not an error in Go; it simply matches nothing.
    in_class = in_class || (lo <= r && r <= hi);
  }
  member = in_class != negated;
  return nullptr;
}

// Whether a chunk is well-formed, whatever it is matched against. Returns the problem or nullptr.
const char* chunk_problem(std::string_view chunk) {
  for (std::size_t i = 0; i < chunk.size();) {
    if (chunk[i] == '[') {
      ++i;
      bool unused = false;
      if (const char* problem = scan_class(chunk, i, 0, unused)) return problem;
    } else if (chunk[i] == '\\') {
      if (i + 1 >= chunk.size()) return "trailing backslash";
      i += 2;
    } else {
      ++i;
    }
  }
  return nullptr;
}

// One chunk of a pattern: optional stars, then items up to the next star outside a class.
struct Chunk {
  bool star = false;
  std::string_view items;
};

// Splits the next chunk off the front of `pattern`, delimiting it as Go's scanChunk does.
Chunk next_chunk(std::string_view& pattern) {
  Chunk chunk;
  while (!pattern.empty() && pattern.front() == '*') {
    chunk.star = true;
    pattern.remove_prefix(1);
  }
  bool in_class = false;
  std::size_t end = 0;
  for (; end < pattern.size(); ++end) {
    const char c = pattern[end];
    if (c == '\\' && end + 1 < pattern.size()) {
      ++end;
    } else if (c == '[') {
      in_class = true;
    } else if (c == ']') {
      in_class = false;
    } else if (c == '*' && !in_class) {
      break;
    }
  }
  chunk.items = pattern.substr(0, end);
  pattern.remove_prefix(end);
  return chunk;
}

struct ChunkMatch {
  GlobResult result;
  std::string_view rest;  // what follows the matched prefix, for kMatch
};

// Matches a chunk against a prefix of `s`. Like Go, it keeps parsing the chunk after a
// mismatch, so a malformed chunk is reported whether or not its prefix matched.
ChunkMatch match_chunk(std::string_view chunk, std::string_view s) {
  bool failed = false;
  for (std::size_t i = 0; i < chunk.size();) {
    failed = failed || s.empty();
    switch (chunk[i]) {
      case '[': {
        char32_t r = 0;
        if (!failed) {
          const Rune rune = decode_rune(s);
          r = rune.value;
          s.remove_prefix(rune.size);
        }
        ++i;
        bool member = false;
        if (scan_class(chunk, i, r, member) != nullptr) return {GlobResult::kBadPattern, {}};
        failed = failed || !member;
        break;
      }
      case '?':
        if (!failed) {
          failed = s.front() == '/';
          s.remove_prefix(decode_rune(s).size);
        }
        ++i;
        break;
      case '\\':
        if (++i >= chunk.size()) return {GlobResult::kBadPattern, {}};
        [[fallthrough]];
      default:
        if (!failed) {
          failed = chunk[i] != s.front();
          s.remove_prefix(1);
        }
        ++i;
        break;
    }
  }
  if (failed) return {GlobResult::kNoMatch, {}};
  return {GlobResult::kMatch, s};
}

// Go's Match, kept exactly because it is the reference behaviour: each chunk after a star is
// matched at the leftmost position where it fits (stars never skip '/'), without revisiting
// earlier chunks; only the last chunk must end exactly at the end of the name. Chunks after
// the point where matching gives up are never examined, hence never reported as malformed.
GlobResult run(std::string_view pattern, std::string_view name) {
  while (!pattern.empty()) {
    const Chunk chunk = next_chunk(pattern);
    const bool last = pattern.empty();
    if (chunk.star && chunk.items.empty()) {
      return name.find('/') == std::string_view::npos ? GlobResult::kMatch : GlobResult::kNoMatch;
    }
    const ChunkMatch here = match_chunk(chunk.items, name);
    if (here.result == GlobResult::kMatch && (here.rest.empty() || !last)) {
      name = here.rest;
      continue;
    }
    if (here.result == GlobResult::kBadPattern) return here.result;
    if (!chunk.star) return GlobResult::kNoMatch;
    bool found = false;
    for (std::size_t skip = 0; skip < name.size() && name[skip] != '/'; ++skip) {
      const ChunkMatch later = match_chunk(chunk.items, name.substr(skip + 1));
      if (later.result == GlobResult::kBadPattern) return later.result;
      if (later.result == GlobResult::kMatch && (later.rest.empty() || !last)) {
        name = later.rest;
        found = true;
        break;
      }
    }
    if (!found) return GlobResult::kNoMatch;
  }
  return name.empty() ? GlobResult::kMatch : GlobResult::kNoMatch;
}

}  // namespace

GlobResult filepath_match(std::string_view pattern, std::string_view name) {
  return run(pattern, name);
}

std::optional<Glob> Glob::compile(std::string_view pattern, std::string* error) {
  for (std::string_view rest = pattern; !rest.empty();) {
    if (const char* problem = chunk_problem(next_chunk(rest).items)) {
      if (error != nullptr) {
        *error = "invalid glob \"" + std::string(pattern) + "\": " + problem;
      }
      return std::nullopt;
    }
  }
  return Glob(pattern);
}

bool Glob::match(std::string_view name) const { return run(pattern_, name) == GlobResult::kMatch; }

}  // namespace iu::model
