#include "cli/output_paths.h"

#include <unistd.h>

#include <string>

#include "common/platform/errors.h"

namespace mnistbench {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(std::string_view flag, const fs::path& path, std::string_view why) {
  throw UsageError(std::string(flag) + ": " + path.string() + ": " + std::string(why));
}

// The folder must exist, be a folder and be writable by this process.
void check_writable_folder(std::string_view flag, const fs::path& shown, const fs::path& folder) {
  std::error_code error;
  const fs::file_status status = fs::status(folder, error);
  if (!fs::exists(status)) refuse(flag, shown, "folder " + folder.string() + " does not exist");
  if (!fs::is_directory(status)) refuse(flag, shown, folder.string() + " is not a folder");
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    refuse(flag, shown, "cannot write in folder " + folder.string());
}

fs::path folder_of(const fs::path& path) {
  const fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

void check_output_file(std::string_view flag, const fs::path& path) {
  if (path.empty()) return;
  std::error_code error;
  if (fs::is_directory(path, error)) refuse(flag, path, "is a folder, not a file");
  check_writable_folder(flag, path, folder_of(path));
}

void check_output_folder(std::string_view flag, const fs::path& path) {
  if (path.empty()) return;
  std::error_code error;
  fs::path existing = path;
  while (!fs::exists(existing, error) && existing.has_relative_path() && existing != folder_of(existing))
    existing = folder_of(existing);
  check_writable_folder(flag, path, existing);
}

}  // namespace mnistbench
