#include "errors.hpp"

#include "iu/dockerv2/documents.hpp"

namespace iu::dockerv2::detail {

void fail(iu_status status, std::string_view registry, std::string_view subject,
          std::string_view problem) {
  throw sdk::Error(status, "registry " + std::string(registry) + ": " + std::string(subject) +
                               ": " + std::string(problem));
}

iu_status status_for_http(int code) {
  if (code == 404) return IU_STATUS_NOT_FOUND;
  if (code == 401 || code == 403) return IU_STATUS_UNAUTHENTICATED;
  if (code == 429) return IU_STATUS_RATE_LIMITED;
  if (code == 408 || (code >= 500 && code <= 599)) return IU_STATUS_TRANSIENT;
  if (code >= 400 && code <= 499) return IU_STATUS_INVALID_ARGUMENT;
  return IU_STATUS_INTERNAL;
}

std::string http_problem(const sdk::HttpResponse& response) {
  std::string out = "HTTP " + std::to_string(response.status);
  if (std::string summary = error_body_summary(response.body); !summary.empty())
    out += ": " + summary;
  return out;
}

std::string byte_size(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string transport_problem(iu_status status, uint64_t max_body_bytes) {
  switch (status) {
    case IU_STATUS_TRANSIENT:
      return "request failed (network error, timeout or server unavailable, after retries)";
    case IU_STATUS_RATE_LIMITED:
      return "rate limited (the registry asked to wait longer than allowed)";
    case IU_STATUS_CANCELLED:
      return "cancelled (shutdown or deadline)";
    case IU_STATUS_INVALID_ARGUMENT:
      return "refused by the HTTP transport (response larger than the " +
             byte_size(max_body_bytes) + " limit, or an invalid request)";
    case IU_STATUS_UNSUPPORTED:
      return "the host offers no HTTP service";
    default:
      return "request failed (" +
             std::string(status == IU_STATUS_UNAUTHENTICATED ? "unauthenticated"
                                                             : "status " + std::to_string(status)) +
             ")";
  }
}

}  // namespace iu::dockerv2::detail
