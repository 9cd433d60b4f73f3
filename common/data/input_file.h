#pragma once
// Opening a user's input file without trusting what the name points at.
// Every loader goes through here so that a FIFO, a device, a folder or a
// socket named like a data file is refused at once instead of blocking the
// read forever, and so that no std::filesystem call can throw past DataError.

#include <cstdint>
#include <filesystem>
#include <string>

namespace mnistbench {

// What `path` is, following symbolic links; not_found when nothing is there.
// Any other failure to look (permission denied, a symbolic-link loop, a name
// too long) throws DataError "PATH: cannot access (REASON)".
std::filesystem::file_type file_type_of(const std::filesystem::path& path);

// A regular file open for reading. The type is checked before opening (so a
// FIFO is never opened) and again on the open descriptor, which is opened
// with O_NONBLOCK so that a FIFO swapped in between cannot block either.
class InputFile {
 public:
  // Throws DataError "PATH: no such file", "PATH: not a regular file (a FIFO)", ...
  explicit InputFile(const std::filesystem::path& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& name() const { return name_; }
  // The size when opened: what a header's counts are checked against.
  std::uint64_t size() const { return size_; }

  // Reads up to `size` bytes; fewer only at the end of the file.
  // A read error throws DataError "PATH: cannot read (REASON)".
  std::size_t read(void* buffer, std::size_t size);

  // Hands the descriptor to a new owner (gzdopen); this object then owns nothing.
  int release();

  [[noreturn]] void fail(const std::string& complaint) const;

 private:
  std::string name_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace mnistbench
