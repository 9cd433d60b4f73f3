// Files built to crash, hang or exhaust the loaders (issue 12's table): each
// must end in a one-line DataError naming the file, within seconds, without
// the memory its header asks for.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <grp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/data/dataset.h"
#include "common/platform/errors.h"
#include "common/data/npy.h"
#include "tests/support/data_files.h"
#include "tests/support/refusals.h"

namespace mnistbench {
namespace {

namespace fs = std::filesystem;
using namespace test;  // the data file writers and fails_with

// Far above the milliseconds a refusal takes, far below the forever of a
// blocked read or the minutes of inflating gigabytes.
constexpr auto kDeadline = std::chrono::seconds(20);
constexpr long kMiB = 1024;  // ru_maxrss counts KiB

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// fails_with, also insisting that the load ends within kDeadline and raises
// the process's peak memory by at most `max_mib`. A load that blocks cannot be
// stopped, so it fails the test and ends the program rather than hang ctest.
template <class Load>
::testing::AssertionResult refused_within_bounds(Load&& load, std::initializer_list<std::string> parts,
                                                 long max_mib = 64) {
  const long before = peak_rss_kib();
  auto result = std::async(std::launch::async, [&] { return fails_with(load, parts); });
  if (result.wait_for(kDeadline) == std::future_status::timeout) {
    std::fprintf(stderr, "FAILED: the load was still running after %lld s (blocked?)\n",
                 static_cast<long long>(kDeadline.count()));
    std::fflush(stderr);
    std::_Exit(1);
  }
  ::testing::AssertionResult outcome = result.get();
  const long grown = (peak_rss_kib() - before) / kMiB;
  if (outcome && grown > max_mib) {
    return ::testing::AssertionFailure() << "peak memory grew by " << grown << " MiB, more than "
                                         << max_mib << " MiB";
  }
  return outcome;
}

const std::vector<std::uint8_t> kLabels = {5, 0, 9};

// The four IDX files of a --data folder.
void write_idx_folder(const TempFolder& folder) {
  write_gzip(folder / "train-images-idx3-ubyte.gz", idx_images(3));
  write_gzip(folder / "train-labels-idx1-ubyte.gz", idx_labels(kLabels));
  write_gzip(folder / "t10k-images-idx3-ubyte.gz", idx_images(2));
  write_gzip(folder / "t10k-labels-idx1-ubyte.gz", idx_labels({7, 2}));
}

DataSelection at(const fs::path& path) {
  DataSelection selection;
  selection.path = path;
  return selection;
}

void make_fifo(const fs::path& path) { ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0) << path; }

// An IDX header whose count is 4,294,967,295.
std::vector<std::uint8_t> claiming_max_count(std::vector<std::uint8_t> header) {
  std::fill(header.begin() + 4, header.begin() + 8, 0xff);
  return header;
}

// ---- gzip IDX: counts that lie, and gigabytes of zeros ---------------------

constexpr std::uint64_t kFiveGigabytes = std::uint64_t(5) << 30;

TEST(HostileIdx, GzipPairClaimingFourBillionImagesBeforeGigabytesOfZeros) {
  TempFolder folder;
  const fs::path images = folder / "images.gz", labels = folder / "labels.gz";
  write_gzip_with_zeros(images, claiming_max_count(idx_images(0)), kFiveGigabytes);
  write_gzip_with_zeros(labels, claiming_max_count(idx_labels({})), kFiveGigabytes);
  EXPECT_TRUE(refused_within_bounds([&] { load_idx(images, labels); },
                                    {images.string() + ": ", "header claims 4294967295 images",
                                     "at most 1000000"}));
}

TEST(HostileIdx, GzipCountBelowTheCapButDataShort) {
  // A million images promised, three delivered: memory follows the three.
  TempFolder folder;
  const fs::path images = folder / "images.gz", labels = folder / "labels.gz";
  auto image_bytes = idx_images(3);
  image_bytes[4] = 0x00, image_bytes[5] = 0x0f, image_bytes[6] = 0x42, image_bytes[7] = 0x40;
  auto label_bytes = idx_labels(kLabels);
  std::copy(image_bytes.begin() + 4, image_bytes.begin() + 8, label_bytes.begin() + 4);
  write_gzip(images, image_bytes);
  write_gzip(labels, label_bytes);
  EXPECT_TRUE(refused_within_bounds([&] { load_idx(images, labels); },
                                    {images.string() + ": ", "truncated", "expected 784000016 bytes",
                                     "found 2368"},
                                    16));
}

TEST(HostileIdx, GzipDataFollowedByGigabytesOfZeros) {
  // The reader stops counting trailing bytes instead of inflating 5 GB.
  TempFolder folder;
  const fs::path images = folder / "images.gz", labels = folder / "labels.gz";
  write_gzip_with_zeros(images, idx_images(3), kFiveGigabytes);
  write_gzip(labels, idx_labels(kLabels));
  EXPECT_TRUE(refused_within_bounds([&] { load_idx(images, labels); },
                                    {images.string() + ": ", "more than 65536 trailing bytes"}));
}

TEST(HostileIdx, PlainCountCheckedAgainstFileSizeBeforeReading) {
  TempFolder folder;
  const fs::path images = folder / "images", labels = folder / "labels";
  write_file(images, claiming_max_count(idx_images(3)));
  write_file(labels, claiming_max_count(idx_labels(kLabels)));
  EXPECT_TRUE(refused_within_bounds([&] { load_idx(images, labels); },
                                    {images.string() + ": ", "truncated",
                                     "expected 3367254359296 bytes", "found 2368"},
                                    16));
}

// ---- files that are not regular files --------------------------------------

// A good --data folder in which the file `name` (its .gz removed) is replaced
// by whatever `make` puts at the path: load_data must refuse it by name.
::testing::AssertionResult folder_refused(const std::string& name,
                                          const std::function<void(const fs::path&)>& make,
                                          const std::string& complaint) {
  TempFolder folder;
  write_idx_folder(folder);
  fs::remove(folder / (name + ".gz"));
  make(folder / name);
  return refused_within_bounds([&] { load_data(at(folder.path())); },
                               {(folder / name).string() + ": " + complaint});
}

TEST(HostileIdx, FifoInDataFolder) {
  EXPECT_TRUE(folder_refused("train-images-idx3-ubyte", make_fifo, "not a regular file (a FIFO)"));
}

TEST(HostileIdx, DeviceInDataFolder) {
  EXPECT_TRUE(folder_refused(
      "t10k-images-idx3-ubyte", [](const fs::path& path) { fs::create_symlink("/dev/zero", path); },
      "not a regular file (a character device)"));
}

TEST(HostileIdx, SocketInDataFolder) {
  int fd = -1;
  const auto bind_socket = [&](const fs::path& path) {
    fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    ASSERT_LT(path.string().size(), sizeof address.sun_path);
    path.string().copy(address.sun_path, sizeof address.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  };
  EXPECT_TRUE(folder_refused("train-labels-idx1-ubyte", bind_socket, "not a regular file (a socket)"));
  ::close(fd);
}

TEST(HostileCsv, FifoAsCsv) {
  TempFolder folder;
  make_fifo(folder / "train.csv");
  EXPECT_TRUE(refused_within_bounds([&] { load_csv(folder / "train.csv"); },
                                    {(folder / "train.csv").string() + ": not a regular file (a FIFO)"}));
  EXPECT_TRUE(refused_within_bounds([&] { load_data(at(folder / "train.csv")); },
                                    {(folder / "train.csv").string() + ": not a regular file or folder"}));
}

TEST(HostileNpy, FifoAsNpy) {
  TempFolder folder;
  make_fifo(folder / "W1.npy");
  float values[8];
  EXPECT_TRUE(refused_within_bounds([&] { load_npy(folder / "W1.npy", values, {4, 2}); },
                                    {(folder / "W1.npy").string() + ": not a regular file (a FIFO)"}));
}

// ---- folders that cannot be looked into ------------------------------------

TEST(HostileFolder, SymbolicLinkLoopInDataFolder) {
  // status() fails with ELOOP here even for root: the error path that
  // std::filesystem::exists turned into an exception.
  EXPECT_TRUE(folder_refused(
      "train-images-idx3-ubyte",
      [](const fs::path& path) { fs::create_symlink(path.filename(), path); },
      "cannot access (Too many levels of symbolic links)"));
}

TEST(HostileFolder, SymbolicLinkLoopAsDataPath) {
  TempFolder folder;
  fs::create_symlink("loop", folder / "loop");
  EXPECT_TRUE(refused_within_bounds([&] { load_data(at(folder / "loop")); },
                                    {(folder / "loop").string() + ": cannot access"}));
}

// How a load ended in a child process that could not read what root can.
struct ChildOutcome {
  int exit_code;        // 0: DataError, 1: another exception, 2: no error
  std::string message;  // what() of whatever was thrown
};
constexpr int kCannotDropPrivileges = 3;

// Runs `load` in a child process as the user nobody (65534) when this runs as
// root, since root reads any file whatever its permission bits; as any other
// user it runs as that user. Empty when root could not become nobody.
std::optional<ChildOutcome> run_unprivileged(const std::function<void()>& load) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return ChildOutcome{-1, "pipe failed"};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    const gid_t nobody = 65534;
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(nobody) != 0 || ::setuid(nobody) != 0)) {
      std::_Exit(kCannotDropPrivileges);
    }
    int code = 2;
    std::string message;
    try {
      load();
    } catch (const DataError& error) {
      code = 0, message = error.what();
    } catch (const std::exception& error) {
      code = 1, message = error.what();
    }
    (void)!::write(pipe_fds[1], message.data(), message.size());
    std::_Exit(code);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, got);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kCannotDropPrivileges) return std::nullopt;
  return ChildOutcome{code, message};
}

TEST(HostileFolder, DataFolderTheUserMayNotRead) {
  TempFolder folder;
  write_idx_folder(folder);
  fs::permissions(folder.path(), fs::perms::none);
  const auto outcome = run_unprivileged([&] { load_data(at(folder.path())); });
  fs::permissions(folder.path(), fs::perms::owner_all);
  if (!outcome) GTEST_SKIP() << "running as root and cannot become nobody, so EACCES cannot happen";
  EXPECT_EQ(outcome->exit_code, 0) << "not a DataError: " << outcome->message;
  EXPECT_EQ(outcome->message,
            (folder / "train-images-idx3-ubyte").string() + ": cannot access (Permission denied)");
}

TEST(HostileFolder, DataFileTheUserMayNotRead) {
  TempFolder folder;
  write_idx_folder(folder);
  const fs::path labels = folder / "train-labels-idx1-ubyte.gz";
  fs::permissions(labels, fs::perms::none);
  const auto outcome = run_unprivileged([&] { load_data(at(folder.path())); });
  if (!outcome) GTEST_SKIP() << "running as root and cannot become nobody, so EACCES cannot happen";
  EXPECT_EQ(outcome->exit_code, 0) << "not a DataError: " << outcome->message;
  EXPECT_EQ(outcome->message, labels.string() + ": cannot open (Permission denied)");
}

// ---- CSV -------------------------------------------------------------------

TEST(HostileCsv, HeaderThenThirtyFiveMegabytesOfEmptyLines) {
  TempFolder folder;
  const fs::path csv = folder / "train.csv";
  write_file(csv, csv_header() + "\n" + std::string(35'000'000, '\n'));
  // The file is read whole (35 MB); the rows reserved for it must not be sized by its newlines.
  EXPECT_TRUE(refused_within_bounds([&] { load_csv(csv); },
                                    {csv.string() + ": line 2: empty line, expected 785 cells"},
                                    3 * 35));
}

TEST(HostileCsv, ByteOrderMarkIsAccepted) {
  TempFolder folder;
  const fs::path csv = folder / "train.csv";
  write_file(csv, "\xEF\xBB\xBF" + csv_header() + "\r\n" + csv_row(5, 0) + "\r\n" +
                      csv_row(0, 1) + "\r\n");
  const Dataset data = load_csv(csv);
  EXPECT_EQ(data.count, 2);
  EXPECT_EQ(data.labels, (std::vector<std::uint8_t>{5, 0}));
}

// ---- .npy ------------------------------------------------------------------

// A .npy file of the given version around a header text, padded as NumPy
// pads it, followed by `data`.
std::vector<std::uint8_t> npy_file(int version, std::string header, const std::vector<float>& data) {
  const std::size_t prefix = version == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<std::uint8_t> bytes = {0x93, 'N', 'U', 'M', 'P', 'Y', std::uint8_t(version), 0};
  for (std::size_t i = 0; i < prefix - 8; ++i) bytes.push_back(std::uint8_t(header.size() >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  const auto* raw = reinterpret_cast<const std::uint8_t*>(data.data());
  bytes.insert(bytes.end(), raw, raw + data.size() * sizeof(float));
  return bytes;
}

std::string header_with_descr(const std::string& descr) {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (4, 2), }";
}

class HostileNpyFile : public ::testing::Test {
 protected:
  void load() {
    float values[8];
    load_npy(path, values, {4, 2});
  }
  TempFolder folder;
  fs::path path = folder / "W1.npy";
  std::vector<float> data = std::vector<float>(8, 0.5f);
};

TEST_F(HostileNpyFile, LongDescrInVersion1Header) {
  write_file(path, npy_file(1, header_with_descr(std::string(65'000, '<')), data));
  EXPECT_TRUE(refused_within_bounds([&] { load(); },
                                    {path.string() + ": header is 65078 bytes; at most 10000 are read"}));
}

TEST_F(HostileNpyFile, LongDescrInVersion2Header) {
  write_file(path, npy_file(2, header_with_descr(std::string(200'000, '<')), data));
  EXPECT_TRUE(refused_within_bounds([&] { load(); },
                                    {path.string() + ": header is 200116 bytes; at most 10000 are read"}));
}

TEST_F(HostileNpyFile, LongDescrWithinTheLimitIsParsed) {
  write_file(path, npy_file(2, header_with_descr(std::string(9'000, '<')), data));
  EXPECT_TRUE(refused_within_bounds([&] { load(); },
                                    {path.string() + ": dtype must be float32 ('<f4'), found '" +
                                     std::string(20, '<') + "...'"}));
}

TEST_F(HostileNpyFile, DeeplyNestedShape) {
  write_file(path, npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': " +
                                   std::string(9'000, '(') + "}",
                            data));
  EXPECT_TRUE(refused_within_bounds([&] { load(); }, {path.string() + ": header: ", "expected a dimension"}));
}

TEST_F(HostileNpyFile, Version2HeaderLoads) {
  write_file(path, npy_file(2, header_with_descr("<f4"), data));
  float values[8] = {};
  load_npy(path, values, {4, 2});
  EXPECT_EQ(values[7], 0.5f);
}

TEST_F(HostileNpyFile, NotANumberNamesTheIndex) {
  data[5] = std::numeric_limits<float>::quiet_NaN();
  save_npy(path, data.data(), {4, 2});
  EXPECT_TRUE(fails_with([&] { load(); }, {path.string() + ": value at flat index 5 is nan"}));
}

TEST_F(HostileNpyFile, InfinityNamesTheIndex) {
  data[0] = -std::numeric_limits<float>::infinity();
  save_npy(path, data.data(), {4, 2});
  EXPECT_TRUE(fails_with([&] { load(); }, {path.string() + ": value at flat index 0 is -inf"}));
}

}  // namespace
}  // namespace mnistbench
