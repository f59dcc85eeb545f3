// Entry point of registry-docker.so.
#include "docker_registry.hpp"

IU_PLUGIN("registry-docker", "1.0.0",
          (iu::sdk::registry_factory<iu::registry_docker::DockerRegistry>(
              "docker-v2",
              iu::sdk::FactoryOptions{
                  "Docker Registry v2 / OCI distribution API (anonymous, Basic, Bearer token)",
                  IU_FACTORY_CONCURRENT,
                  {iu::sdk::ConfigKey{IU_CONFIG_INT, iu::registry_docker::kTagsPageSizeKey, "1000",
                                      false,
                                      "page size (n) asked for when listing tags; 0 lets the "
                                      "registry choose"}},
                  {}})))
