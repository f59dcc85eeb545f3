// The AWS shared credentials and config files (~/.aws/credentials, ~/.aws/config; AWS SDK
// conventions): which files, which profile, and what that profile holds. Read on demand; the
// files may hold secrets, so nothing read from them is ever put into a message except key
// names, profile names, paths and line numbers.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "aws_env.hpp"

namespace iu::registry_ecr {

struct ProfileSettings {
  std::string name;               // AWS_PROFILE, else "default"
  bool explicitly_named = false;  // AWS_PROFILE was set
  bool found = false;             // a section for the profile exists in either file
  // Merged keys of the profile (credentials file over config file), lower-case names.
  std::map<std::string, std::string> values;
  std::string credentials_path, config_path;  // the files consulted
  // Which file the access key came from (for messages), "" when none.
  std::string keys_path;

  std::optional<std::string> get(const std::string& key) const;
};

// Reads the profile named by AWS_PROFILE (or "default") from AWS_SHARED_CREDENTIALS_FILE (else
// $HOME/.aws/credentials) and AWS_CONFIG_FILE (else $HOME/.aws/config). Missing files are
// empty. Throws iu::sdk::Error(INVALID_ARGUMENT) naming the file and line for a line that is
// neither a section, a `key = value`, a comment nor blank, and for an unreadable file.
ProfileSettings load_profile(const AwsEnv& env);

}  // namespace iu::registry_ecr
