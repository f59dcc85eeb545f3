// Kubernetes Events (SPEC §13.4): `ImagesUpdated` (Normal) on an Application after a successful
// write-back, and the Warning events `UpdateFailed` (Application) and `InvalidConfiguration`
// (ImageUpdater), the latter at most once per object and reason every 10 minutes.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kube/client.hpp"

namespace iu::kube {

struct EventObject {
  std::string api_version, kind, ns, name, uid;
};

struct EventImage {
  std::string full_image_name;  // name:newtag
  std::string image_name, old_tag, new_tag;
};

// The Event JSON (v1) for `object`; `images` become annotations
// `argocd-image-updater.image-<i>/{full-image-name,image-name,old-tag,new-tag}`.
std::string event_body(const EventObject& object, const std::string& type,
                       const std::string& reason, const std::string& message,
                       const std::vector<EventImage>& images,
                       std::chrono::system_clock::time_point now, const std::string& instance);

class EventRecorder {
 public:
  EventRecorder(const Client& client, std::string instance)
      : client_(client), instance_(std::move(instance)) {}

  // Posts the event; failures are logged (an event never fails a pass).
  void images_updated(const EventObject& app, const std::vector<EventImage>& images);
  // Warning events, rate-limited per (object, reason) to one every 10 minutes.
  void warning(const EventObject& object, const std::string& reason, const std::string& message);

 private:
  void post(const EventObject& object, const std::string& body);

  const Client& client_;
  std::string instance_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_warning_;
};

}  // namespace iu::kube
