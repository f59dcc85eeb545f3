// Table-driven flags: every flag `--foo-bar` is also read from IMAGE_UPDATER_FOO_BAR and from
// upstream's own variable names (SPEC §3.2). Precedence: command line > environment > default.
// Two environment names for one flag that are both set and differ are a fatal usage error.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace iu::cli {

enum class FlagType { string, boolean, integer, duration, list, choice };

struct FlagSpec {
  std::string name;  // without dashes, e.g. "max-concurrency"
  FlagType type = FlagType::string;
  std::string default_value;
  std::string help;
  std::vector<std::string> env;      // extra environment names (upstream's)
  std::vector<std::string> aliases;  // extra flag names, e.g. "max-concurrent-apps"
  std::vector<std::string> choices;  // FlagType::choice
  bool repeatable = false;           // list flags: repeatable and/or comma-separated
};

// A usage error: exit code 2 with the message.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Values after parsing: one entry per flag name (defaults included); lists joined by ','.
class FlagValues {
 public:
  const std::string& get(const std::string& name) const;
  bool boolean(const std::string& name) const;
  long long integer(const std::string& name) const;
  std::vector<std::string> list(const std::string& name) const;
  bool from_user(const std::string& name) const { return user_set_.count(name) != 0; }
  // Where each value came from ("flag", "env NAME", "default"), for the startup log.
  const std::map<std::string, std::string>& sources() const { return sources_; }
  const std::map<std::string, std::string>& all() const { return values_; }

  // The values of another command's table: its environment values and defaults, with every
  // flag this set also has taken from here (value, source, user-set). Used where one command
  // runs on another's machinery (`webhook` on `run`'s).
  FlagValues completed_with(const std::vector<FlagSpec>& specs) const;

 private:
  friend class FlagSet;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
  std::map<std::string, bool> user_set_;
};

// Binds a table of flags to a CLI11 (sub)command.
class FlagSet {
 public:
  explicit FlagSet(std::vector<FlagSpec> specs);
  void bind(CLI::App& app);
  // After app parsing: applies environment values and defaults, validates every value.
  // Throws UsageError naming the flag or the environment variable.
  FlagValues resolve() const;
  const std::vector<FlagSpec>& specs() const { return specs_; }

 private:
  std::vector<FlagSpec> specs_;
  std::map<std::string, std::vector<std::string>> raw_;  // values captured from the command line
  std::map<std::string, const void*> options_;           // CLI::Option* per flag (count())
};

// The environment variable names for a flag, IMAGE_UPDATER_* first.
std::vector<std::string> env_names(const FlagSpec& spec);

// The flag tables of each command.
std::vector<FlagSpec> common_flags();  // loglevel, logformat, plugin-dir
std::vector<FlagSpec> run_flags();
std::vector<FlagSpec> webhook_flags();
std::vector<FlagSpec> test_flags();

}  // namespace iu::cli
