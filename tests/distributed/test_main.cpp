// The Boost.Test module of the distributed tests: MPI is initialised for the
// whole run, and every rank runs every test case (run under mpirun by CTest).
// A test case that ends early on one rank (an exception, a failed
// BOOST_REQUIRE) would leave the other ranks waiting in the case's next
// collective: the observer below aborts the whole job instead, naming the
// rank and the case, so a failure never turns into a hang.
#define BOOST_TEST_MODULE xgrad_distributed
#include <mpi.h>

#include <boost/test/execution_monitor.hpp>
#include <boost/test/tree/observer.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdio>

#include "framework/parallel.h"
#include "models/distributed/communicator.h"

namespace {
namespace utf = boost::unit_test;

class AbortOnEarlyExit : public utf::test_observer {
 public:
  void test_unit_start(const utf::test_unit& tu) override { current_ = tu.full_name(); }
  void exception_caught(const boost::execution_exception& e) override {
    abort_job(std::string(e.what().begin(), e.what().end()));
  }
  void test_unit_aborted(const utf::test_unit&) override { abort_job("a requirement failed"); }

 private:
  void abort_job(const std::string& what) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    std::fprintf(stderr, "rank %d: test case %s ended early: %s; aborting every rank\n", rank,
                 current_.c_str(), what.c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  std::string current_;
};

struct MpiFixture {
  void setup() {
    int argc = 0;
    char** argv = nullptr;
    session = new xgrad::MpiSession(argc, argv);
    // One thread per rank: the ranks share this host's cores.
    threads = new xgrad::ThreadLimit(1);
    utf::framework::register_observer(observer);
  }
  void teardown() {
    utf::framework::deregister_observer(observer);
    delete threads;
    delete session;
  }
  xgrad::MpiSession* session = nullptr;
  xgrad::ThreadLimit* threads = nullptr;
  AbortOnEarlyExit observer;
};
}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(MpiFixture);
