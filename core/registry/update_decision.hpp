// The update decision of SPEC §6.8: given the tag the strategy chose and what is deployed,
// is there a change to write, and what is written?
//  * digest-style strategies (IU_RESULT_FRESH_DIGEST): update when the live image has no
//    digest or another one; the written value is tag@digest;
//  * every other strategy compares tag names only (never digests) and writes the tag; it also
//    updates when a Kustomize target name is set and is not the image's own name yet (the
//    kustomization must map the original name to this image);
//  * forceUpdate treats the image as live with an unknown version, so the first check always
//    yields a change (the write-back drops it later when the target already holds the value).
// No monotonic guard: a lower tag than the live one is a change like any other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/image_ref.hpp"

namespace iu::registry {

struct DecisionInput {
  model::ImageRef image;                // as configured (imageName)
  std::optional<model::ImageRef> live;  // the deployed image; std::nullopt: not deployed
  bool force_update = false;
  std::string kustomize_name;  // manifestTargets.kustomize.name; "" when none
  int32_t result = 0;          // the strategy's IU_RESULT_*
  std::string chosen_tag;
  std::string chosen_digest;         // required for IU_RESULT_FRESH_DIGEST
  model::EndpointDefaults endpoint;  // for comparing names (§5.3)
};

struct Decision {
  bool update = false;
  std::string old_version;  // live tag[@digest]; "" when unknown or forced
  std::string new_tag;
  std::string new_digest;  // set for IU_RESULT_FRESH_DIGEST only
  std::string reason;      // why (not): for logs
};

Decision decide_update(const DecisionInput& input);

// The value written for the decision: `tag` or `tag@digest`.
std::string written_version(const Decision& decision);

}  // namespace iu::registry
