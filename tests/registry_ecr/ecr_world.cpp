#include "ecr_world.hpp"

#include <gtest/gtest.h>

#include "it_support.hpp"

namespace iu::test {
namespace {

std::unique_ptr<EcrWorld> start_world() {
  auto w = std::make_unique<EcrWorld>();
  try {
    w->dir = std::make_unique<TempDir>();
    w->registry = std::make_unique<RegistryServer>(
        w->dir->path() / "registry", std::vector<std::string>{"--htpasswd", "admin:adminpw"});
    std::string tags;
    for (const auto& t : kAppTags) tags += (tags.empty() ? "" : ",") + t;
    std::string out =
        populate(w->registry->url(),
                 {"--user", "admin:adminpw", "--repo", "team/app", "--tags", tags, "--created-base",
                  std::to_string(kCreatedBase), "--created-step", std::to_string(kCreatedStep)},
                 w->dir->path());
    rapidjson::Document doc = parse_json(out);
    for (const auto& t : kAppTags)
      w->app_digests[t] = json_string(doc, {"team/app", t.c_str(), "digest"});
    populate(w->registry->url(),
             {"--user", "admin:adminpw", "--repo", "team/multi", "--tags", "x,y", "--multiarch"},
             w->dir->path(), false);
    w->fake = std::make_unique<EcrFake>(
        w->dir->path() / "ecr",
        std::vector<std::string>{
            "--registry", w->registry->url(), "--registry-auth", "admin:adminpw", "--credentials",
            std::string(kEnvKeyId) + ":" + kEnvSecret, "--credentials",
            std::string(kProfileKeyId) + ":" + kProfileSecret, "--token-rotate", "2",
            "--token-lifetime", "10", "--sts-max-lifetime", "4", "--registry-cache-ttl", "0"},
        true);
  } catch (const std::exception& e) {
    w->error = e.what();
  }
  return w;
}

class WorldEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { holder().reset(); }
  static std::unique_ptr<EcrWorld>& holder() {
    static std::unique_ptr<EcrWorld> w;
    return w;
  }
};

[[maybe_unused]] ::testing::Environment* const kWorldEnv =
    ::testing::AddGlobalTestEnvironment(new WorldEnvironment);

}  // namespace

std::map<std::string, std::string> EcrWorld::aws_env(
    std::map<std::string, std::string> more) const {
  more.emplace("AWS_ENDPOINT_URL", fake->api_url());
  return more;
}

EcrWorld& world() {
  auto& w = WorldEnvironment::holder();
  if (!w) w = start_world();
  return *w;
}

}  // namespace iu::test
