// Running one rank of a job, and stopping every rank when one fails.
//
//   int main(int argc, char** argv) {
//     MpiSession mpi(argc, argv);
//     Communicator world = mpi.world();
//     return run_rank(world, "my-trainer", [&] { ...; return 0; });
//   }
//
// A rank that throws cannot tell the others: they are, or soon will be,
// waiting in a collective it will never join, and would wait forever. So
// run_rank prints "<program>: rank R of N failed: <what>; stopping every
// rank" on stderr and calls MPI_Abort, and the launcher (mpirun) kills every
// rank of the job within about a second; the job exits non-zero. A
// CollectiveError is raised alike by every rank (they reached the same
// verdict together): rank 0 prints "<program>: error: <what>" and every rank
// returns 1 without aborting. A rank killed outright (SIGKILL, a crash, a
// lost host) is the launcher's to report: Open MPI's mpirun names the rank
// and the signal and kills the others. Files written atomically keep their
// previous version when a writer is killed, so the last checkpoint survives.
// Thread safety: call from the thread that owns the MPI session.
#pragma once

#include <functional>
#include <string>

#include "models/distributed/communicator.h"

namespace xgrad {

int run_rank(const Communicator& comm, const std::string& program,
             const std::function<int()>& body);

// Prints the failure line and ends every rank of MPI_COMM_WORLD (MPI_Abort).
[[noreturn]] void abort_job(const Communicator& comm, const std::string& program,
                            const std::string& what);

}  // namespace xgrad
