// Gradchecks every entry of op_db: no op ships without a gradient check.
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

BOOST_AUTO_TEST_SUITE(op_db_tests)

BOOST_DATA_TEST_CASE(gradcheck_every_op, bdata::make(op_names()), name) {
  for (const xgrad::OpInfo& op : xgrad::op_db()) {
    if (op.name != name) continue;
    BOOST_TEST(op.rtol <= 1e-3);
    for (const xgrad::OpCheck& c : xgrad::gradcheck_op(op, 7)) {
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
