// Plugin configuration keys: validated and defaulted by the host, errors naming object and key.
#include <gtest/gtest.h>

#include "plugin_host/instance.hpp"
#include "plugin_host/loader.hpp"
#include "test_plugins.hpp"

namespace iu::plugin_host {
namespace {

const Implementation& list_registry(Catalog& c) {
  if (c.implementations().empty()) load_file(iu::test::test_plugin("test-good"), c);
  return c.resolve(Kind::registry, "test-list");
}

std::string error_of(const Implementation& impl, const ConfigMap& given,
                     const std::vector<std::string>& host_keys = {}) {
  try {
    validate_config(impl, given, "registries.conf: registries[2]", host_keys);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(PluginConfig, DefaultsAndNormalisation) {
  Catalog c;
  const auto& impl = list_registry(c);
  auto cfg = validate_config(impl, {{"level", "-2"}, {"verbose", "T"}, {"timeout", "1m30s"}}, "x");
  EXPECT_EQ(cfg.at("verbose"), "true");
  EXPECT_EQ(cfg.at("timeout"), "90000");
  EXPECT_EQ(cfg.at("tags"), "");
  EXPECT_EQ(cfg.count("missing"), 0u);
}

TEST(PluginConfig, ErrorsNameObjectAndKey) {
  Catalog c;
  const auto& impl = list_registry(c);
  EXPECT_EQ(error_of(impl, {{"level", "1"}, {"limits", "3"}}),
            "registries.conf: registries[2]: limits: unknown key for registry \"test-list\" "
            "(known: tags, timeout, verbose, level)");
  EXPECT_EQ(error_of(impl, {}),
            "registries.conf: registries[2]: level: required by registry \"test-list\"");
  EXPECT_EQ(error_of(impl, {{"level", "1"}, {"verbose", "maybe"}}),
            "registries.conf: registries[2]: verbose: invalid boolean \"maybe\"");
  EXPECT_EQ(error_of(impl, {{"level", "one"}}),
            "registries.conf: registries[2]: level: invalid integer \"one\"");
  EXPECT_EQ(error_of(impl, {{"level", "1"}, {"timeout", "30"}}),
            "registries.conf: registries[2]: timeout: invalid duration \"30\": missing unit");
  EXPECT_EQ(error_of(impl, {{"level", "1"}, {"api_url", "http://x"}}, {"api_url"}), "no error");
}

}  // namespace
}  // namespace iu::plugin_host
