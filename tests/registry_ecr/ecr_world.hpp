// The fixtures every registry-ecr integration test shares, started once per test binary: a real
// distribution registry (registry.sh, user admin) filled by populate.py, and ecr_fake.py in
// front of it (ECR API + STS with SigV4 checks, and its Basic-auth registry front with rotating,
// expiring passwords). A failed start fails every test with the reason.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ecr_fake_server.hpp"
#include "fixture_servers.hpp"

namespace iu::test {

// The ECR registry host the tests configure as prefix (account and region of ecr_fake.py's
// defaults), and the credentials the fake accepts.
inline constexpr const char* kEcrPrefix = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
inline constexpr const char* kEnvKeyId = "AKIAIOSFODNN7EXAMPLE";
inline constexpr const char* kEnvSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr const char* kProfileKeyId = "AKIAPROFILE000000001";
inline constexpr const char* kProfileSecret = "pr0file/Secret+Key/abcdefghijklmnopqrstu";
inline constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/image-updater";

// team/app: tags pushed in this order, one minute apart (push time = build time + 30 s).
inline const std::vector<std::string> kAppTags{"2.0", "1.10", "1.9", "1.2", "0.1", "latest"};
inline constexpr int64_t kCreatedBase = 1704067200;  // 2024-01-01T00:00:00Z
inline constexpr int64_t kCreatedStep = 60;

struct EcrWorld {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<RegistryServer> registry;
  std::unique_ptr<EcrFake> fake;  // passwords rotate every 2 s, valid 10 s; STS creds live 4 s
  std::map<std::string, std::string> app_digests;  // tag -> manifest digest (populate.py)
  std::string error;                               // why the world could not start

  // ECR API endpoint overrides for the fake, plus `more`.
  std::map<std::string, std::string> aws_env(std::map<std::string, std::string> more) const;
};

// The shared world (started on first use, stopped at exit).
EcrWorld& world();

}  // namespace iu::test
