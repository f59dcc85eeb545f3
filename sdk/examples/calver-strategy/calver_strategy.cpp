// strategy/calver: calendar-versioned tags (YYYY.MM.DD, optionally .N), newest date wins.
// Tags that are not calendar versions are not candidates. The version text of the image may
// name a minimum year ("2024"); anything else is a configuration error.
#include <array>
#include <charconv>
#include <iu/plugin.hpp>
#include <optional>
#include <vector>

namespace {

using Date = std::array<unsigned, 4>;  // year, month, day, build

std::optional<unsigned> number(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<Date> parse(std::string_view tag) {
  Date d{0, 0, 0, 0};
  size_t part = 0;
  while (part < 4) {
    size_t dot = tag.find('.');
    auto n = number(tag.substr(0, dot));
    if (!n) return std::nullopt;
    d[part++] = *n;
    if (dot == std::string_view::npos) break;
    tag.remove_prefix(dot + 1);
  }
  if (part < 3 || d[0] < 1970 || d[1] < 1 || d[1] > 12 || d[2] < 1 || d[2] > 31)
    return std::nullopt;
  return d;
}

class Calver : public iu::sdk::Strategy {
 public:
  explicit Calver(iu::sdk::Call&) {}

  void validate(iu::sdk::Call&, std::string_view version) override {
    if (!version.empty() && !number(version))
      throw iu::sdk::Error(IU_STATUS_INVALID_ARGUMENT,
                           "invalid calver minimum year \"" + std::string(version) + "\"");
  }

  void rank(iu::sdk::Call&, const iu::sdk::SelectRequest& req, iu::sdk::IndexSink& out) override {
    unsigned min_year = req.version.empty() ? 0 : number(req.version).value_or(0);
    std::vector<std::pair<Date, uint64_t>> found;
    for (uint64_t i = 0; i < req.candidates.size(); ++i)
      if (auto d = parse(req.tag(i)); d && (*d)[0] >= min_year) found.emplace_back(*d, i);
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    uint64_t limit = req.max_results == 0 ? found.size() : req.max_results;
    for (uint64_t k = 0; k < found.size() && k < limit; ++k) out.put(found[k].second);
  }
};

}  // namespace

IU_PLUGIN("strategy-calver", "0.3.1",
          iu::sdk::strategy_factory<Calver>("calver", {},
                                            {.description = "calendar versions YYYY.MM.DD[.N]"}))
