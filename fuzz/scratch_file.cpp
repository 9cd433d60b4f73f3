#include "fuzz/scratch_file.h"

#include <cstdio>
#include <cstdlib>

#include <sys/mman.h>
#include <unistd.h>

namespace mnistbench::fuzz {
namespace {

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::abort();
}

}  // namespace

ScratchFile::ScratchFile() : fd_(memfd_create("mnistbench-fuzz", MFD_CLOEXEC)) {
  if (fd_ < 0) die("memfd_create");
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

ScratchFile::~ScratchFile() { ::close(fd_); }

void ScratchFile::write(const std::uint8_t* data, std::size_t size) {
  if (::ftruncate(fd_, 0) != 0) die("ftruncate");
  std::size_t done = 0;
  while (done < size) {
    const ssize_t wrote = ::pwrite(fd_, data + done, size - done, off_t(done));
    if (wrote <= 0) die("pwrite");
    done += std::size_t(wrote);
  }
}

}  // namespace mnistbench::fuzz
