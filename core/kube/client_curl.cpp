#include "kube/client_curl.hpp"

#include <rapidjson/document.h>

namespace iu::kube {

ApiError api_error(std::string_view method, const std::string& path, int status,
                   const std::string& body) {
  std::string reason, message;
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (!d.HasParseError() && d.IsObject()) {
    if (d.HasMember("reason") && d["reason"].IsString()) reason = d["reason"].GetString();
    if (d.HasMember("message") && d["message"].IsString()) message = d["message"].GetString();
  } else {
    message = body.substr(0, 200);
  }
  std::string what = std::string(method) + " " + path.substr(0, path.find('?')) + ": ";
  what += status == 0 ? std::string("network error") : "HTTP " + std::to_string(status);
  if (!reason.empty()) what += " " + reason;
  if (!message.empty()) what += ": " + message;
  return ApiError(status, reason, what);
}

void set_tls(CURL* h, const ClusterConfig& config, const Client::Credentials& creds) {
  if (config.insecure) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!config.ca_pem.empty()) {
    curl_blob ca{const_cast<char*>(config.ca_pem.data()), config.ca_pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
  }
  if (!creds.client_cert_pem.empty()) {
    curl_blob cert{const_cast<char*>(creds.client_cert_pem.data()), creds.client_cert_pem.size(),
                   CURL_BLOB_COPY};
    curl_blob key{const_cast<char*>(creds.client_key_pem.data()), creds.client_key_pem.size(),
                  CURL_BLOB_COPY};
    curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
  }
}

}  // namespace iu::kube
