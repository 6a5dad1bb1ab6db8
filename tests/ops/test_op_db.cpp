// Gradchecks and gradgradchecks every entry of op_db: no op ships without a
// check of its gradient and of its gradient's gradient.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "ops/op_db.h"

namespace bdata = boost::unit_test::data;

namespace {
std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const xgrad::OpInfo& op : xgrad::op_db()) names.push_back(op.name);
  return names;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_op_db_tests)

BOOST_DATA_TEST_CASE(gradcheck_every_op, bdata::make(op_names()), name) {
  for (const xgrad::OpInfo& op : xgrad::op_db()) {
    if (op.name != name) continue;
    // Looser than the defaults only with the reason written down.
    if (op.atol > xgrad::kGradcheckAtol || op.rtol > xgrad::kGradcheckRtol) {
      BOOST_TEST(!op.loose_because.empty(), name << " has loose tolerances and no reason");
    }
    for (const xgrad::OpCheck& c : xgrad::gradcheck_op(op, 7)) {
      BOOST_TEST_INFO(name << " " << c.label);
      BOOST_TEST(c.result.pass(), c.result.message());
    }
  }
}

// Second order: every op passes gradgradcheck, or says why it cannot.
BOOST_DATA_TEST_CASE(gradgradcheck_every_op, bdata::make(op_names()), name) {
  for (const xgrad::OpInfo& op : xgrad::op_db()) {
    if (op.name != name || !op.not_twice_differentiable.empty()) continue;
    for (const xgrad::OpCheck& c : xgrad::gradcheck_op(op, 11, 2)) {
      BOOST_TEST_INFO(name << " " << c.label);
      BOOST_TEST(c.result.pass(), c.result.message());
    }
  }
}

BOOST_AUTO_TEST_CASE(names_are_unique) {
  std::vector<std::string> names = op_names();
  std::sort(names.begin(), names.end());
  BOOST_CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}

BOOST_AUTO_TEST_SUITE_END()
