// MPI_COMM_WORLD as a ShardGroup. Built only when CMake found MPI; the
// build without it uses no_mpi.cpp instead.

#include "common/distributed/mpi_world.h"

#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace mnistbench {

namespace {

class MpiWorld final : public ShardGroup {
 public:
  MpiWorld() {
    // Only the main thread calls MPI; the executor's threads never do.
    MPI_Init(nullptr, nullptr);
    std::atexit([] {
      int finalized = 0;
      MPI_Finalized(&finalized);
      if (!finalized) MPI_Finalize();
    });
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm host;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &host);
    MPI_Comm_size(host, &on_host_);
    MPI_Comm_free(&host);
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    library_ = std::string(version, std::size_t(length));
    library_ = library_.substr(0, library_.find_first_of(",\n"));
    // Rank 0 alone prints: the others' output would repeat it N times over.
    if (rank_ != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) std::fclose(stdout);
  }

  int shards() const override { return size_; }
  int first_local() const override { return rank_; }
  int local_shards() const override { return 1; }
  int processes() const override { return size_; }
  int rank() const override { return rank_; }
  int on_host() const { return on_host_; }

  void all_gather(std::span<const std::span<const float>> local, std::span<float> all) override {
    const int n = int(local.front().size());
    MPI_Allgather(local.front().data(), n, MPI_FLOAT, all.data(), n, MPI_FLOAT, MPI_COMM_WORLD);
  }
  void all_gather(std::span<const double> local, std::span<double> all) override {
    const int n = int(local.size());
    MPI_Allgather(local.data(), n, MPI_DOUBLE, all.data(), n, MPI_DOUBLE, MPI_COMM_WORLD);
  }
  // Each rank's block must reach the N - 1 others; the usual algorithms
  // (ring, recursive doubling, Bruck) send each rank N - 1 blocks in all.
  double bytes_sent(std::size_t block_bytes) const override { return double(block_bytes) * (size_ - 1); }
  std::string describe() const override {
    return "MPI rank " + std::to_string(rank_) + " of " + std::to_string(size_) + " (" + library_ + ")";
  }

 private:
  int rank_ = 0;
  int size_ = 1;
  int on_host_ = 1;
  std::string library_;
};

MpiWorld* world = nullptr;

}  // namespace

bool mpi_built_in() { return true; }

ShardGroup& join_mpi_world() {
  static MpiWorld joined;  // MPI_Init once, on first use
  world = &joined;
  return joined;
}

int process_rank() { return world ? world->rank() : 0; }
int ranks_on_this_host() { return world ? world->on_host() : 1; }

void abort_all_ranks(int exit_code) {
  if (world && world->processes() > 1) {
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, exit_code);
  }
}

}  // namespace mnistbench
