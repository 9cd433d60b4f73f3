#pragma once
// The MPI world a `--distributed` run joins: every process started by
// `mpirun -np N` is one rank and computes one shard of each batch
// (shard_group.h). MPI is process-wide state, initialised once, so this is
// too: the first join initialises MPI and every later one returns the same
// world; MPI is finalised at exit. A build without MPI (Open MPI not found
// at configure time) still has these functions: joining then throws a
// UsageError naming --distributed.

#include "common/distributed/shard_group.h"

namespace mnistbench {

// Whether this build can run --distributed.
bool mpi_built_in();

// Joins MPI_COMM_WORLD (MPI_Init on the first call); throws UsageError
// without MPI. The group lives until exit.
ShardGroup& join_mpi_world();

// This process's rank in the world joined; 0 when none was.
int process_rank();
// Ranks of the world joined that run on this host (each then takes its
// share of the cores); 1 when none was.
int ranks_on_this_host();

// Ends every rank of a joined world of more than one with this exit code,
// so that none waits forever for a rank that failed; returns when there is
// no such world.
void abort_all_ranks(int exit_code);

}  // namespace mnistbench
