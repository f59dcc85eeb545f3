// The per-endpoint trust store: system roots plus the endpoint's CA, and clear errors.
#include "http/ca_bundle.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace iu::http {
namespace {

namespace fs = std::filesystem;

// A fresh self-signed certificate as PEM.
std::string make_certificate(const char* common_name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

class CaBundle : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("iu-ca-bundle-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    system_pem_ = make_certificate("system root");
    write("system.pem", system_pem_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string system_path() const { return (dir_ / "system.pem").string(); }
  std::string error_of(const std::string& file, const std::string& data) {
    try {
      build_ca_bundle("reg.example", file, data, system_path());
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path dir_;
  std::string system_pem_;
};

TEST_F(CaBundle, NothingConfiguredMeansSystemRootsOnly) {
  EXPECT_EQ(build_ca_bundle("reg.example", "", "", system_path()), nullptr);
}

TEST_F(CaBundle, EndpointCertificatesAreAddedToTheSystemRoots) {
  std::string file_ca = make_certificate("file ca");
  std::string data_ca = make_certificate("data ca");
  auto bundle = build_ca_bundle("reg.example", write("ca.pem", file_ca), data_ca, system_path());
  ASSERT_NE(bundle, nullptr);
  EXPECT_EQ(bundle->find(system_pem_), 0u);
  size_t file_at = bundle->find(file_ca), data_at = bundle->find(data_ca);
  ASSERT_NE(file_at, std::string::npos);
  ASSERT_NE(data_at, std::string::npos);
  EXPECT_LT(file_at, data_at);
}

TEST_F(CaBundle, MissingSystemBundleStillGivesTheEndpointCa) {
  std::string ca = make_certificate("only");
  auto bundle = build_ca_bundle("reg.example", "", ca, (dir_ / "absent.pem").string());
  ASSERT_NE(bundle, nullptr);
  EXPECT_EQ(*bundle, ca);
}

TEST_F(CaBundle, ErrorsNameRegistryAndFieldButNeverEchoData) {
  EXPECT_EQ(error_of((dir_ / "missing.pem").string(), ""),
            "registry reg.example: ca_file: cannot read \"" + (dir_ / "missing.pem").string() +
                "\": No such file or directory");
  std::string empty_file = write("empty.pem", "just text\n");
  EXPECT_EQ(error_of(empty_file, ""),
            "registry reg.example: ca_file: \"" + empty_file + "\": no PEM certificate found");
  std::string m = error_of("", "secret-looking-data");
  EXPECT_EQ(m, "registry reg.example: ca_data: no PEM certificate found");
  std::string broken =
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
  m = error_of("", broken);
  EXPECT_EQ(m.rfind("registry reg.example: ca_data: invalid PEM certificate: ", 0), 0u) << m;
  // A good certificate followed by a broken one is still an error.
  m = error_of("", make_certificate("good") + broken);
  EXPECT_EQ(m.rfind("registry reg.example: ca_data: invalid PEM certificate: ", 0), 0u) << m;
}

TEST(SystemCaBundle, LibcurlNamesItsDefaultBundle) {
  // Debian's libcurl is built with /etc/ssl/certs/ca-certificates.crt.
  std::string path = system_ca_bundle_path();
  EXPECT_FALSE(path.empty());
}

}  // namespace
}  // namespace iu::http
