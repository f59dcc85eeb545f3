#include "random_document.hpp"

#include <array>

namespace iu::yamledit::test {
namespace {

// Values a plain token may hold in block and flow context alike (some resolve to other types:
// the editor must still replace them in place).
constexpr std::array<const char*, 14> kPlain = {
    "nginx",       "1.2.3",     "v1",           "ghcr.io/acme/app",
    "hello world", "a-b_c",     "h\xc3\xa9llo", "x:y",
    "-dash",       "1.10",      "true",         "42",
    "a#b",         "2.4.7-rc.1"};

struct Quoted {
  const char* token;
  const char* value;
};
constexpr std::array<Quoted, 7> kSingle = {{{"'it''s'", "it's"},
                                            {"'a: b'", "a: b"},
                                            {"'#x'", "#x"},
                                            {"''", ""},
                                            {"' spaced '", " spaced "},
                                            {"'1.0'", "1.0"},
                                            {"'yes'", "yes"}}};
constexpr std::array<Quoted, 6> kDouble = {{{"\"tab\\there\"", "tab\there"},
                                            {"\"quote\\\"d\"", "quote\"d"},
                                            {"\"uni\\u00e9\"", "uni\xc3\xa9"},
                                            {"\"\"", ""},
                                            {"\"2.4.6\"", "2.4.6"},
                                            {"\"[x]\"", "[x]"}}};

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed) {}

  GeneratedDocument run() {
    eol_ = chance(25) ? "\r\n" : "\n";
    step_ = chance(30) ? 4 : 2;
    seq_indent_ = chance(50) ? 0 : 2;
    if (chance(15)) out() += "\xEF\xBB\xBF";
    if (chance(30)) out() += "# generated document" + eol_;
    if (chance(20)) out() += "---" + eol_;
    block_mapping(0, Path{}, 0, false);
    if (chance(10)) out() += "..." + eol_;
    if (chance(20)) out() += "---" + eol_ + "other: [1, two]" + eol_;
    if (chance(20)) out().erase(out().size() - eol_.size());  // no final newline
    return std::move(doc_);
  }

 private:
  bool chance(int percent) { return pick(100) < percent; }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string& out() { return doc_.text; }

  void line_end() {
    if (chance(10)) out() += "  ";
    if (chance(25)) out() += "  # note";
    out() += eol_;
  }

  std::string key(int i, std::string* value) {
    static constexpr std::array<const char*, 6> kNames = {"image", "tag",  "image.tag",
                                                          "name",  "repo", "x"};
    std::string base = std::string(kNames[static_cast<std::size_t>(pick(6))]) + std::to_string(i);
    *value = base;
    return chance(15) ? "\"" + base + "\"" : base;
  }

  void scalar(const Path& path, bool in_flow) {
    GeneratedScalar s;
    s.path = path;
    s.in_flow = in_flow;
    std::string anchor;
    if (chance(20)) {
      anchor = "a" + std::to_string(anchors_.size());
      out() += "&" + anchor + " ";
    }
    if (chance(6)) {
      out() += "!!str ";
      s.string_tagged = true;
    }
    s.begin = out().size();
    int style = pick(4);
    if (style < 2) {
      s.style = 'p';
      out() += kPlain[static_cast<std::size_t>(pick(static_cast<int>(kPlain.size())))];
    } else if (style == 2) {
      s.style = 's';
      out() += kSingle[static_cast<std::size_t>(pick(static_cast<int>(kSingle.size())))].token;
    } else {
      s.style = 'd';
      out() += kDouble[static_cast<std::size_t>(pick(static_cast<int>(kDouble.size())))].token;
    }
    s.end = out().size();
    if (!anchor.empty()) anchors_.push_back(doc_.scalars.size());
    doc_.scalars.push_back(std::move(s));
  }

  void value_after_key(std::size_t indent, const Path& path, int depth) {
    int kind = pick(100);
    if (depth >= 3 && kind >= 50 && kind < 75) kind = 0;
    if (kind < 50) {
      out() += " ";
      scalar(path, false);
      line_end();
    } else if (kind < 62) {
      block_mapping(indent + step_, path, depth + 1, false, true);
    } else if (kind < 72) {
      line_end();
      block_sequence(indent + seq_indent_, path, depth + 1);
    } else if (kind < 80) {
      out() += " ";
      flow_mapping(path);
      line_end();
    } else if (kind < 86) {
      out() += " ";
      flow_sequence(path);
      line_end();
    } else if (kind < 92) {
      GeneratedScalar s;
      s.path = path;
      s.style = 'n';
      if (chance(50)) out() += " ~";
      s.end = out().size();
      s.begin = out().back() == '~' ? s.end - 1 : s.end;
      doc_.scalars.push_back(s);
      line_end();
    } else if (kind < 97 && !anchors_.empty()) {
      auto n = static_cast<std::size_t>(pick(static_cast<int>(anchors_.size())));
      out() += " *a" + std::to_string(n);
      doc_.scalars[anchors_[n]].aliases.push_back(path);
      doc_.alias_paths.push_back(path);
      line_end();
    } else {
      GeneratedScalar s;
      s.path = path;
      s.style = 'b';
      out() += " |" + eol_;
      s.begin = out().size();
      out() += std::string(indent + 2, ' ') + "block text" + eol_;
      s.end = out().size();
      doc_.scalars.push_back(s);
    }
  }

  // Writes a block mapping whose keys sit at column `indent`. `inline_first`: the first key
  // continues the current line (after a list dash); `after_key`: the mapping is the value of a
  // key whose line is still open.
  void block_mapping(std::size_t indent, const Path& path, int depth, bool inline_first,
                     bool after_key = false) {
    if (after_key) line_end();
    GeneratedCollection m;
    m.path = path;
    int n = 1 + pick(4);
    std::size_t index = doc_.mappings.size();
    doc_.mappings.push_back(m);
    for (int i = 0; i < n; ++i) {
      bool first_inline = inline_first && i == 0;
      if (!first_inline && chance(8))
        out() += std::string(indent, ' ') + "# about the next key" + eol_;
      if (!first_inline && chance(5)) out() += eol_;
      if (!first_inline) out() += std::string(indent, ' ');
      std::string value;
      out() += key(i, &value) + ":";
      doc_.mappings[index].keys.push_back(value);
      value_after_key(indent, path.key(value), depth);
    }
  }

  void block_sequence(std::size_t indent, const Path& path, int depth) {
    int n = 1 + pick(3);
    for (int i = 0; i < n; ++i) {
      out() += std::string(indent, ' ') + "- ";
      if (depth < 3 && chance(40)) {
        block_mapping(indent + 2, path.index(static_cast<std::size_t>(i)), depth + 1, true);
      } else {
        scalar(path.index(static_cast<std::size_t>(i)), false);
        line_end();
      }
    }
    doc_.sequences.push_back({path, false, {}, static_cast<std::size_t>(n)});
  }

  void flow_mapping(const Path& path) {
    GeneratedCollection m;
    m.path = path;
    m.flow = true;
    out() += "{";
    int n = pick(4);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out() += ", ";
      std::string value;
      out() += key(i, &value) + ": ";
      m.keys.push_back(value);
      scalar(path.key(value), true);
    }
    out() += "}";
    doc_.mappings.push_back(m);
  }

  void flow_sequence(const Path& path) {
    out() += "[";
    int n = pick(4);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out() += ", ";
      scalar(path.index(static_cast<std::size_t>(i)), true);
    }
    out() += "]";
    doc_.sequences.push_back({path, true, {}, static_cast<std::size_t>(n)});
  }

  std::mt19937 rng_;
  GeneratedDocument doc_;
  std::string eol_;
  std::size_t step_ = 2;
  std::size_t seq_indent_ = 0;
  std::vector<std::size_t> anchors_;  // scalars carrying anchor a<i>
};

}  // namespace

GeneratedDocument generate_document(std::uint32_t seed) { return Generator(seed).run(); }

}  // namespace iu::yamledit::test
