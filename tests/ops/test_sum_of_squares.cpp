// Sum of squares: value and gradient 2x by hand, gradcheck, determinism
// across thread counts, and the error for an undefined input (every shape
// is valid, so there is no bad-shape message).
#include <boost/test/unit_test.hpp>
#include <string>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "ops/sum_of_squares.h"

using namespace xgrad;

BOOST_AUTO_TEST_SUITE(ops_sum_of_squares_tests)

BOOST_AUTO_TEST_CASE(known_value_and_gradient) {
  Tensor x = tensor({{1.0, -2.0, 0.5}, {3.0, 0.0, -0.25}}, kFloat64).requires_grad_();
  Tensor y = sum_of_squares(x);
  BOOST_TEST(y.item() == 1.0 + 4.0 + 0.25 + 9.0 + 0.0 + 0.0625);
  BOOST_TEST(y.dim() == 0u);
  y.backward();
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(x.grad().at(i) == 2 * x.value().at(i));
}

BOOST_AUTO_TEST_CASE(empty_is_zero) {
  BOOST_TEST(sum_of_squares(zeros({0, 3}, kFloat64)).item() == 0.0);
}

BOOST_AUTO_TEST_CASE(gradcheck_sum_of_squares) {
  Generator gen(6);
  GradcheckResult r =
      gradcheck("sum_of_squares", [](const std::vector<Tensor>& v) { return sum_of_squares(v[0]); },
                {Tensor(gen.normal({2, 3, 2}, 0.0, 1.0, kFloat64))});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(same_bits_for_one_and_two_threads) {
  Generator gen(9);
  Tensor x(gen.normal({250000}, 0.0, 1.0, kFloat32));
  double one, two;
  {
    ThreadLimit limit(1);
    one = sum_of_squares(x).item();
  }
  {
    ThreadLimit limit(2);
    two = sum_of_squares(x).item();
  }
  BOOST_TEST(one == two);
}

BOOST_AUTO_TEST_CASE(undefined_input) {
  BOOST_CHECK_EXCEPTION(sum_of_squares(Tensor()), GraphError, [](const std::exception& e) {
    return std::string(e.what()) == "sum_of_squares: input is an undefined tensor";
  });
}

BOOST_AUTO_TEST_SUITE_END()
