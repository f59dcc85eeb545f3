#include "cli/flag_table.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>

#include "util/duration.hpp"

namespace iu::cli {
namespace {

std::string upper_env(const std::string& name) {
  std::string out = "IMAGE_UPDATER_";
  for (char c : name)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = ",") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Validates and normalises one value; returns an error text or "".
std::string check(const FlagSpec& f, std::string& value) {
  switch (f.type) {
    case FlagType::boolean: {
      auto b = util::parse_bool(value);
      if (!b) return "invalid boolean \"" + value + "\" (use true or false)";
      value = *b ? "true" : "false";
      return {};
    }
    case FlagType::integer: {
      char* end = nullptr;
      errno = 0;
      (void)std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || errno != 0) return "invalid integer \"" + value + "\"";
      return {};
    }
    case FlagType::duration: {
      std::string err;
      if (!util::parse_duration(value, &err)) return err;
      return {};
    }
    case FlagType::choice:
      if (std::find(f.choices.begin(), f.choices.end(), value) == f.choices.end())
        return "invalid value \"" + value + "\" (one of: " + join(f.choices, ", ") + ")";
      return {};
    case FlagType::string:
    case FlagType::list:
      return {};
  }
  return {};
}

}  // namespace

std::vector<std::string> env_names(const FlagSpec& spec) {
  std::vector<std::string> out{upper_env(spec.name)};
  for (const auto& e : spec.env)
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  return out;
}

const std::string& FlagValues::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("flag --" + name + " is not defined here");
  return it->second;
}

bool FlagValues::boolean(const std::string& name) const { return get(name) == "true"; }

long long FlagValues::integer(const std::string& name) const {
  return std::strtoll(get(name).c_str(), nullptr, 10);
}

std::vector<std::string> FlagValues::list(const std::string& name) const {
  std::vector<std::string> out;
  const std::string& v = get(name);
  size_t start = 0;
  while (start <= v.size() && !v.empty()) {
    size_t c = v.find(',', start);
    std::string part = v.substr(start, c == std::string::npos ? std::string::npos : c - start);
    // trim
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (!part.empty()) out.push_back(part);
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

FlagSet::FlagSet(std::vector<FlagSpec> specs) : specs_(std::move(specs)) {}

void FlagSet::bind(CLI::App& app) {
  for (const auto& f : specs_) {
    std::string names = "--" + f.name;
    for (const auto& a : f.aliases) names += ",--" + a;
    std::string help = f.help;
    auto envs = env_names(f);
    help += " [env: " + join(envs, ", ") + "]";
    if (!f.default_value.empty()) help += " (default: " + f.default_value + ")";
    auto* store = &raw_[f.name];
    CLI::Option* opt = nullptr;
    if (f.type == FlagType::boolean) {
      // `--flag` alone means true; `--flag=false` is accepted too.
      opt = app.add_option(names, *store, help)->expected(0, 1);
    } else if (f.repeatable) {
      opt = app.add_option(names, *store, help)
                ->expected(1)
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    } else {
      opt = app.add_option(names, *store, help)
                ->expected(1)
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
    if (f.type == FlagType::choice) opt->type_name("{" + join(f.choices, "|") + "}");
    options_[f.name] = opt;
  }
}

FlagValues FlagSet::resolve() const {
  FlagValues out;
  for (const auto& f : specs_) {
    const auto* opt = static_cast<const CLI::Option*>(options_.at(f.name));
    std::string value;
    std::string source;
    if (opt->count() > 0) {
      const auto& raw = raw_.at(f.name);
      if (f.type == FlagType::boolean) {
        value = raw.empty() || raw.back().empty() ? "true" : raw.back();
      } else if (f.repeatable) {
        value = join(raw);
      } else {
        value = raw.empty() ? "" : raw.back();
      }
      source = "flag";
    } else {
      std::string first_env;
      for (const auto& e : env_names(f)) {
        const char* v = std::getenv(e.c_str());
        if (v == nullptr) continue;
        if (!first_env.empty() && value != v)
          throw UsageError("environment variables " + first_env + " and " + e + " both set --" +
                           f.name + " with different values; unset one");
        if (first_env.empty()) {
          first_env = e;
          value = v;
        }
      }
      if (!first_env.empty()) {
        source = "env " + first_env;
      } else {
        value = f.default_value;
        source = "default";
      }
    }
    if (source != "default" || !value.empty()) {
      if (std::string err = check(f, value); !err.empty()) {
        throw UsageError(
            (source == "flag" ? "--" + f.name : source.substr(4) + " (--" + f.name + ")") + ": " +
            err);
      }
    }
    out.values_[f.name] = value;
    out.sources_[f.name] = source;
    if (source != "default") out.user_set_[f.name] = true;
  }
  return out;
}

FlagValues FlagValues::completed_with(const std::vector<FlagSpec>& specs) const {
  CLI::App app;
  FlagSet set(specs);
  set.bind(app);
  app.parse(std::vector<std::string>{});
  FlagValues out = set.resolve();
  for (const auto& [name, value] : values_) {
    if (out.values_.count(name) == 0) continue;
    out.values_[name] = value;
    out.sources_[name] = sources_.at(name);
    if (user_set_.count(name) != 0) out.user_set_[name] = true;
  }
  return out;
}

}  // namespace iu::cli
