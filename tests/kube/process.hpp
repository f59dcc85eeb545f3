// A child process for tests: started with stdout and stderr in a log file; killed (SIGKILL)
// by the destructor if still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace iu::test {

class Process {
 public:
  Process(const std::vector<std::string>& argv, std::filesystem::path log);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void signal(int sig) const;
  // Waits up to `limit` for the exit; the exit code, or -1 when still running (or killed).
  int wait(std::chrono::milliseconds limit);
  bool running();
  std::string log() const;  // everything written so far
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  int exit_code_ = -1;
};

}  // namespace iu::test
