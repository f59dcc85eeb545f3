// Tag listing through ECR DescribeImages (SPEC §7.7): every tagged image of a repository with
// its digest and push time, in O(pages) calls (up to 1000 images per page) instead of one
// tags/list walk plus a manifest request per tag.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ecr_api.hpp"

namespace iu::registry_ecr {

struct ListedTag {
  std::string tag;
  std::string digest;    // the image manifest digest
  int64_t pushed_at_ms;  // imagePushedAt
};

struct DescribeLimits {
  uint32_t page_size = 1000;  // maxResults (1-1000)
  uint32_t max_pages = 1000;
  uint64_t max_tags = 100000;
};

// Every tag of `repository` ("" account = the caller's default registry), ordered by push time
// ascending, ties by tag name byte-wise (ECR itself promises no order; this one is stable and
// puts the newest push last). Throws iu::sdk::Error: NOT_FOUND for a missing repository (from
// EcrApi), UNSUPPORTED naming the repository beyond the limits, INTERNAL for a malformed answer.
std::vector<ListedTag> describe_tags(sdk::Call& call, EcrApi& api, const std::string& account,
                                     const std::string& repository, const DescribeLimits& limits);

}  // namespace iu::registry_ecr
