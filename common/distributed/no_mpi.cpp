// The build without MPI: --distributed is refused with the reason.

#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"

namespace mnistbench {

bool mpi_built_in() { return false; }

ShardGroup& join_mpi_world() {
  throw UsageError("--distributed: this build has no MPI (install libopenmpi-dev and openmpi-bin, then rebuild)");
}

int process_rank() { return 0; }
int ranks_on_this_host() { return 1; }
void abort_all_ranks(int) {}

}  // namespace mnistbench
