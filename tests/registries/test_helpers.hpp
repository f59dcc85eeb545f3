// Helpers for the registries tests: a temporary directory and a test CA certificate.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

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
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "iu-reg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

  // Writes `name` (atomically, by rename, as a ConfigMap update does) and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    const auto target = path_ / name;
    const auto tmp = path_ / (name + ".tmp");
    std::ofstream(tmp, std::ios::binary) << content;
    std::filesystem::rename(tmp, target);
    return target.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace iu::registries::test
