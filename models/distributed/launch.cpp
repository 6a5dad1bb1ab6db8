#include "models/distributed/launch.h"

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace xgrad {

void abort_job(const Communicator& comm, const std::string& program, const std::string& what) {
  std::fprintf(stderr, "%s: rank %d of %d failed: %s; stopping every rank\n", program.c_str(),
               comm.rank(), comm.size(), what.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);  // MPI_Abort does not return; should it, leave anyway
}

int run_rank(const Communicator& comm, const std::string& program,
             const std::function<int()>& body) {
  try {
    return body();
  } catch (const CollectiveError& e) {
    if (comm.rank() == 0) std::fprintf(stderr, "%s: error: %s\n", program.c_str(), e.what());
    return 1;
  } catch (const std::exception& e) {
    abort_job(comm, program, e.what());
  } catch (...) {
    abort_job(comm, program, "an exception that is not a std::exception");
  }
}

}  // namespace xgrad
