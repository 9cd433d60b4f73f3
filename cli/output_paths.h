#pragma once
// Output paths are checked before training starts, so that a typo in a
// folder name costs one line, not a whole run whose results are then lost.

#include <filesystem>
#include <string_view>

namespace mnistbench {

// A file the run will write (--json, --log, --trace): its folder must exist
// and be writable, and the path must not be a folder. Throws UsageError naming the flag.
void check_output_file(std::string_view flag, const std::filesystem::path& path);

// A folder the run will create or fill (--save-weights): if it exists it
// must be a writable folder; else its nearest existing parent must be.
void check_output_folder(std::string_view flag, const std::filesystem::path& path);

}  // namespace mnistbench
