// Repository URLs as the write-back sees them: the normalized form that groups intents into
// batches, and the display form used in logs and error messages (never with credentials).
#pragma once

#include <string>
#include <string_view>

namespace iu::gitwb {

// The URL without credentials: userinfo of http(s) URLs is dropped entirely (a token is often
// passed as the user name), other schemes keep the user but lose any password.
// "https://x:tok@git.example.com/deploy.git" -> "https://git.example.com/deploy.git".
std::string display_url(std::string_view url);

// The key that identifies a repository for batching (SPEC §9.7): display_url() of the trimmed,
// lower-cased URL without a trailing "/" or ".git", so that
// "https://Git.Example.com/deploy.git/" and "https://git.example.com/deploy" are one repository.
std::string normalize_url(std::string_view url);

// True for URLs libgit2 reaches through SSH ("ssh://..." or scp-like "user@host:path").
bool is_ssh_url(std::string_view url);

}  // namespace iu::gitwb
