// writeback-argocd.so: the bundled `argocd` write-back (SPEC §9.3) — patches the Application
// object through the Kubernetes API (see api.hpp for how the plugin reaches the API), or with
// the dir source edits the Application document in its manifest file (SPEC §4.3).
#include "argocd_writeback.hpp"

namespace {

using iu::sdk::ConfigKey;

iu::sdk::FactoryOptions options() {
  iu::sdk::FactoryOptions o;
  o.description =
      "edits Helm parameters, Kustomize images or plugin env of the Application through the "
      "Kubernetes API, or in its manifest file with --source dir";
  o.flags = IU_FACTORY_CONCURRENT;
  o.config_keys = {
      ConfigKey{IU_CONFIG_STRING, "kube_server", "", false,
                "Kubernetes API URL (set by the host for --source crd/annotations)"},
      ConfigKey{IU_CONFIG_STRING, "kube_token_file", "", false,
                "file holding the bearer token (re-read for every request)"},
      ConfigKey{IU_CONFIG_STRING, "kube_ca_file", "", false,
                "CA certificates (PEM) of the API server"},
      ConfigKey{IU_CONFIG_STRING, "kube_client_cert_file", "", false, "client certificate (PEM)"},
      ConfigKey{IU_CONFIG_STRING, "kube_client_key_file", "", false, "client key (PEM)"},
      ConfigKey{IU_CONFIG_BOOL, "kube_insecure", "false", false,
                "skip TLS verification of the API server"},
  };
  return o;
}

}  // namespace

IU_PLUGIN("writeback-argocd", "0.1.0",
          (iu::sdk::writeback_factory<iu::argocdwb::ArgocdWriteback>("argocd", options())))
