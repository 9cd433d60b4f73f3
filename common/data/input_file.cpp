#include "common/data/input_file.h"

#include "common/platform/errors.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mnistbench {
namespace {

namespace fs = std::filesystem;

// The kinds of file that are not data, in the words of the message.
const char* kind_of(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory: return "a folder";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    default: return "an unknown kind of file";
  }
}

fs::file_type type_of_mode(mode_t mode) {
  if (S_ISREG(mode)) return fs::file_type::regular;
  if (S_ISDIR(mode)) return fs::file_type::directory;
  if (S_ISFIFO(mode)) return fs::file_type::fifo;
  if (S_ISSOCK(mode)) return fs::file_type::socket;
  if (S_ISCHR(mode)) return fs::file_type::character;
  if (S_ISBLK(mode)) return fs::file_type::block;
  return fs::file_type::unknown;
}

}  // namespace

fs::file_type file_type_of(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  // status() sets `error` for a missing file too; only other failures are errors here.
  if (status.type() == fs::file_type::not_found) return fs::file_type::not_found;
  if (error) {
    throw DataError(fmt::format("{}: cannot access ({})", path.string(), error.message()));
  }
  return status.type();
}

InputFile::InputFile(const fs::path& path) : name_(path.string()) {
  const fs::file_type before = file_type_of(path);
  if (before == fs::file_type::not_found) fail("no such file");
  if (before != fs::file_type::regular) fail(fmt::format("not a regular file ({})", kind_of(before)));

  fd_ = ::open(name_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    if (errno == ENOENT) fail("no such file");
    fail(fmt::format("cannot open ({})", std::strerror(errno)));
  }
  // A throwing constructor runs no destructor, so the descriptor is closed here.
  const auto refuse = [this](const std::string& complaint) {
    ::close(fd_);
    fd_ = -1;
    fail(complaint);
  };
  struct stat info {};
  if (::fstat(fd_, &info) != 0) refuse(fmt::format("cannot read ({})", std::strerror(errno)));
  const fs::file_type after = type_of_mode(info.st_mode);
  if (after != fs::file_type::regular) refuse(fmt::format("not a regular file ({})", kind_of(after)));
  // O_NONBLOCK means nothing for a regular file, so it can stay set.
  size_ = std::uint64_t(info.st_size);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t InputFile::read(void* buffer, std::size_t size) {
  auto* out = static_cast<char*>(buffer);
  std::size_t total = 0;
  while (total < size) {
    const ssize_t got = ::read(fd_, out + total, size - total);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail(fmt::format("cannot read ({})", std::strerror(errno)));
    if (got == 0) break;
    total += std::size_t(got);
  }
  return total;
}

int InputFile::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void InputFile::fail(const std::string& complaint) const {
  throw DataError(fmt::format("{}: {}", name_, complaint));
}

}  // namespace mnistbench
