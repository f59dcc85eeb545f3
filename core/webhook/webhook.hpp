// Webhook requests (SPEC §12): authentication per registry type and payload parsing into
// image events. Pure functions over an HTTP request: the server calls handle_request() and
// hands the events to the engine; nothing unauthenticated or malformed gets past here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/http_server.hpp"

namespace iu::webhook {

// One pushed image as a registry reported it. `registry` is the host the event names
// ("docker.io" for Docker Hub); tag and digest may each be empty.
struct Event {
  std::string registry;
  std::string repository;
  std::string tag;
  std::string digest;
  bool operator==(const Event&) const = default;
};

struct Settings {
  // Secret per type: keys "docker.io", "ghcr.io", "quay.io", "harbor", "aliyun-acr", "acr",
  // "cloudevents", "registry". Empty or absent = no secret configured.
  std::map<std::string, std::string> secrets;
  bool require_secret = true;
};

struct Outcome {
  int status = 200;     // 200 accepted/ignored, 400, 401, 404, 405
  std::string type;     // the request's type ("" when unknown)
  std::string message;  // body text: what was accepted, ignored, or what is wrong
  std::vector<Event> events;
  bool ignored = false;  // 200 without events (e.g. a pull event)
};

// The types this build understands, in the order of the table in SPEC §12.2.
const std::vector<std::string>& known_types();

// Authenticates and parses one request to POST /webhook. Never throws for bad input.
Outcome handle_request(const server::Request& request, const Settings& settings);

// Parses a body of the given type without authentication (used by handle_request after the
// secret check, and by tests). Fills outcome.status/message/events/ignored.
Outcome parse_payload(const std::string& type, const server::Request& request);

// Constant-time comparison of two secrets or signatures.
bool secure_equals(const std::string& a, const std::string& b);

}  // namespace iu::webhook
