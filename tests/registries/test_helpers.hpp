// Helpers for the registries tests: a temporary directory and a test CA certificate.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "temp_dir.hpp"

namespace iu::registries::test {

// A self-signed P-256 certificate (CN "iu test CA"), valid until 2126; public test material.
inline constexpr const char* kTestCa = R"(-----BEGIN CERTIFICATE-----
MIIBgjCCASegAwIBAgIUHhOtZS7oCdHZ0ak4aY2UmyFGjCIwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKaXUgdGVzdCBDQTAgFw0yNjExMjYyMDU1MjBaGA8yMTI2MTEw
MjIwNTUyMFowFTETMBEGA1UEAwwKaXUgdGVzdCBDQTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABBjsXeB8QrRUSopnhb211jgaublZs2pcVanMY2xfjRmMQmOjGnu0
fIFHMvWqNbUIUjuwqQ+gXjAjtZkW/xXh6YmjUzBRMB0GA1UdDgQWBBTS60akGNpm
zvo7CUC9BNbyPJVaODAfBgNVHSMEGDAWgBTS60akGNpmzvo7CUC9BNbyPJVaODAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCBR/7f6xnyyKDSPEcQ
/Ja/mpf/WyAn9SQefiqOWteBKwIhALfpCaauTsdkm5QeSlTPS3V8RGsoZHxg6LWx
RL//G//U
-----END CERTIFICATE-----
)";

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir : public iu::test::TempDir {
 public:
  TempDir() : iu::test::TempDir("iu-reg") {}

  // Writes `name` (atomically, by rename, as a ConfigMap update does) and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    const auto target = path() / name;
    const auto tmp = path() / (name + ".tmp");
    std::ofstream(tmp, std::ios::binary) << content;
    std::filesystem::rename(tmp, target);
    return target.string();
  }
};

}  // namespace iu::registries::test
