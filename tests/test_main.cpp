// The one Boost.Test module of xgrad; every tests/<folder>/test_<file>.cpp
// adds its suites to it.
#define BOOST_TEST_MODULE xgrad
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>

#include "framework/record.h"
#include "ops/op_db.h"

namespace {
// Every op name passed to record() while the tests run must have an op_db
// entry, so no op escapes the gradient checks. A test's own ops (user ops,
// as in the gradcheck tests) are named user_*.
struct EveryRecordedOpIsInOpDb {
  void setup() { xgrad::collect_op_names(true); }
  void teardown() {
    std::set<std::string> known;
    for (const xgrad::OpInfo& op : xgrad::op_db()) known.insert(op.name);
    for (const std::string& name : xgrad::recorded_op_names()) {
      if (name.rfind("user_", 0) == 0) continue;
      BOOST_TEST(known.count(name) == 1u, "op '" << name << "' is recorded but not in op_db");
    }
  }
};
}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(EveryRecordedOpIsInOpDb);
