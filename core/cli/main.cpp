// argocd-image-updater: command-line entry point (SPEC §3).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "log/log.hpp"

namespace {

// `--mode` existed in some upstream releases; we split it into --source and --loop (§3.2).
void reject_mode_flag(CLI::App& app) {
  app.add_option_function<std::string>(
         "--mode",
         [](const std::string&) {
           throw iu::cli::UsageError(
               "--mode is not supported: choose the configuration source with --source "
               "(crd|annotations|dir) and the loop style with --loop (cycle|continuous)");
         },
         "removed; see --source and --loop")
      ->group("");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"argocd-image-updater: keeps the images of Argo CD applications up to date",
               "argocd-image-updater"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "argocd-image-updater " IU_VERSION);

  auto* version = app.add_subcommand("version", "print version information");
  bool short_version = false;
  version->add_flag("--short", short_version, "print only the version string");

  auto* plugins = app.add_subcommand("plugins", "list the implementations of the loaded plugins");
  iu::cli::FlagSet plugin_flags(iu::cli::common_flags());
  plugin_flags.bind(*plugins);
  std::string output = "table";
  plugins->add_option("-o,--output", output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  bool probe = false;
  plugins->add_flag("--probe", probe,
                    "create every implementation and call it once on sample input");

  auto* run =
      app.add_subcommand("run", "run the image updater controller (or one pass with --once)");
  iu::cli::FlagSet run_flags(iu::cli::run_flags());
  run_flags.bind(*run);
  reject_mode_flag(*run);

  auto* webhook = app.add_subcommand("webhook", "serve only the webhook endpoint (no polling)");
  iu::cli::FlagSet webhook_flags(iu::cli::webhook_flags());
  webhook_flags.bind(*webhook);

  auto* test = app.add_subcommand("test", "show the image that would be chosen for IMAGE");
  iu::cli::FlagSet test_flags(iu::cli::test_flags());
  test_flags.bind(*test);
  std::string image;
  test->add_option("IMAGE", image, "image reference, optionally with a constraint")->required();

  auto* tmpl = app.add_subcommand("template", "render a commit message template with sample data");
  std::string template_path;
  tmpl->add_option("PATH", template_path, "template file (default: the built-in template)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const iu::cli::UsageError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }

  try {
    if (version->parsed()) return iu::cli::cmd_version(short_version);
    if (plugins->parsed()) {
      auto v = plugin_flags.resolve();
      iu::cli::apply_logging(v);
      return iu::cli::cmd_plugins(v, output, probe);
    }
    if (run->parsed()) {
      auto v = run_flags.resolve();
      iu::cli::apply_logging(v);
      return iu::cli::cmd_run(v, false);
    }
    if (webhook->parsed()) {
      auto v = webhook_flags.resolve();
      iu::cli::apply_logging(v);
      return iu::cli::cmd_run(v, true);
    }
    if (test->parsed()) {
      auto v = test_flags.resolve();
      iu::cli::apply_logging(v);
      return iu::cli::cmd_test(v, image);
    }
    if (tmpl->parsed()) return iu::cli::cmd_template(template_path);
  } catch (const iu::cli::UsageError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    iu::log::error(e.what());
    return 2;
  }
  return 2;
}
