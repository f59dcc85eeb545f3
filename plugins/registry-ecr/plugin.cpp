// Entry point of registry-ecr.so: the `ecr` registry plugin (AWS ECR, SPEC §7.7).
#include "ecr_registry.hpp"

IU_PLUGIN("registry-ecr", "1.0.0",
          (iu::sdk::registry_factory<iu::registry_ecr::EcrRegistry>(
              "ecr",
              iu::sdk::FactoryOptions{
                  "AWS ECR: AWS credentials chain, GetAuthorizationToken, DescribeImages listing, "
                  "Docker v2 API for manifests and blobs",
                  IU_FACTORY_CONCURRENT,
                  {iu::sdk::ConfigKey{IU_CONFIG_STRING, iu::registry_ecr::kListingKey,
                                      "describe-images", false,
                                      "how tags are listed: describe-images (digests and push "
                                      "times in O(pages) calls) or tags-list (the v2 API)"},
                   iu::sdk::ConfigKey{IU_CONFIG_INT, iu::registry_ecr::kDescribePageSizeKey, "1000",
                                      false, "maxResults of DescribeImages pages (1-1000)"}},
                  {}})))
