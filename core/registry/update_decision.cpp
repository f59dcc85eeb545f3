#include "registry/update_decision.hpp"

#include "iu/plugin.h"

namespace iu::registry {

Decision decide_update(const DecisionInput& in) {
  Decision d;
  d.new_tag = in.chosen_tag;
  const bool digest_result = in.result == IU_RESULT_FRESH_DIGEST;
  if (digest_result) d.new_digest = in.chosen_digest;

  if (!in.live && !in.force_update) {
    d.reason = "image is not deployed and forceUpdate is off";
    return d;
  }
  if (in.force_update && !in.live) {
    d.update = true;
    d.reason = "forceUpdate: the deployed version is unknown";
    return d;
  }
  const model::ImageRef& live = *in.live;
  d.old_version = model::tag_with_digest(live);

  if (digest_result) {
    if (live.digest.empty()) {
      d.update = true;
      d.reason = "the deployed image has no digest";
    } else if (live.digest != in.chosen_digest) {
      d.update = true;
      d.reason = "the tag now points to another digest";
    } else {
      d.reason = "the deployed digest is current";
    }
    return d;
  }
  if (live.version != in.chosen_tag) {
    d.update = true;
    d.reason = "the deployed tag differs from the chosen one";
    return d;
  }
  if (!in.kustomize_name.empty()) {
    auto target = model::parse_reference(in.kustomize_name);
    const bool mapped = target && model::same_image(*target, in.image, in.endpoint);
    if (!mapped) {
      d.update = true;
      d.reason = "the Kustomize image name is not mapped to this image yet";
      return d;
    }
  }
  d.reason = "the deployed tag is current";
  return d;
}

std::string written_version(const Decision& d) {
  return d.new_digest.empty() ? d.new_tag : d.new_tag + "@" + d.new_digest;
}

}  // namespace iu::registry
