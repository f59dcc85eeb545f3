// Internal to core/kube: the libcurl details the request path (client.cpp) and the watch
// path (client_watch.cpp) share. libcurl stays out of the public headers.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "kube/client.hpp"

namespace iu::kube {

// "<METHOD> <path>: HTTP 409 Conflict: <message>" from a Status body (or the first 200 bytes
// of another body). The query string of `path` is left out.
ApiError api_error(std::string_view method, const std::string& path, int status,
                   const std::string& body);

// TLS verification (insecure-skip-tls-verify or the CA) and the client certificate.
void set_tls(CURL* handle, const ClusterConfig& config, const Client::Credentials& credentials);

}  // namespace iu::kube
