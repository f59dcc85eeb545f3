#include "git_harness.hpp"

#ifndef IU_WRITEBACK_GIT_PLUGIN
#error "IU_WRITEBACK_GIT_PLUGIN must name the built writeback-git.so"
#endif

namespace iu::test::gitwb {

const iu::plugin_host::Implementation& git_writeback() {
  return wb::load_writeback(IU_WRITEBACK_GIT_PLUGIN, "git");
}

std::unique_ptr<iu::plugin_host::WritebackInstance> make_instance(
    const std::map<std::string, std::string>& config) {
  return wb::make_instance(git_writeback(), config);
}

IntentSpec helm_values_intent(const std::string& repo_url, const std::string& app,
                              const std::string& new_tag, const std::string& branch) {
  IntentSpec spec;
  spec.app_name = app;
  spec.settings = {
      {"repository", repo_url},    {"branch", branch},      {"write_back_target", "helmvalues"},
      {"source_path", "helm/app"}, {"source_type", "Helm"}, {"argocd_namespace", "argocd"}};
  spec.changes = {ChangeSpec{"127.0.0.1:5000/org/app",
                             "1.0.0",
                             new_tag,
                             "",
                             {{"helm.name", "image.repository"}, {"helm.tag", "image.tag"}}}};
  return spec;
}

}  // namespace iu::test::gitwb
