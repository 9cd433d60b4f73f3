#pragma once
// A file that lives in memory (memfd_create) and is rewritten for every
// fuzz input. The loaders take paths, so each input is handed to them as
// /proc/self/fd/N: the real open-and-check path runs, without a directory
// entry created and removed millions of times.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/platform/errors.h"

namespace mnistbench::fuzz {

class ScratchFile {
 public:
  ScratchFile();
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Replaces the whole content.
  void write(const std::uint8_t* data, std::size_t size);
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

// Runs `load`; a DataError is the expected outcome of a bad input, but its
// message must be one line. Any other exception escapes and is a finding.
template <class Load>
void expect_clean_refusal(Load&& load) {
  try {
    load();
  } catch (const DataError& error) {
    if (std::string(error.what()).find('\n') != std::string::npos) {
      std::fprintf(stderr, "message spans lines: %s\n", error.what());
      std::abort();
    }
  }
}

}  // namespace mnistbench::fuzz
