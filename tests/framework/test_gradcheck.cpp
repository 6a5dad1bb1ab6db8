// gradcheck itself: it passes correct user-defined ops recorded with
// `record`, and it FAILS deliberately wrong backwards (a factor 2, a
// transposed gradient), naming the op, the input, the worst element and both
// values. The ops here are written with plain loops, independent of ops/.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "framework/gradcheck.h"
#include "tools/gradcheck/gradcheck_main.h"
#include "framework/record.h"

using namespace xgrad;

namespace {
// y = Σ x³ (a scalar), so the upstream gradient is one number u and the
// numeric gradient is 3 x² u: the worst element of a wrong backward is the
// largest |x|. `factor` scales the backward: 1 is right, 2 is wrong.
Tensor sum_of_cubes(const Tensor& x, double factor, const char* name) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    s += x.value().at(i) * x.value().at(i) * x.value().at(i);
  return record(name, Array::scalar(s, x.dtype()), {x}, [factor](const Node& out, const Tensor& dy) {
    const Array& x = out.input_value(0);
    Array dx = Array::empty(x.shape(), x.dtype());
    for (std::size_t i = 0; i < x.size(); ++i)
      dx.set(i, factor * 3 * x.at(i) * x.at(i) * dy.item());
    return Grads{Tensor(dx)};
  });
}

// Naive (n, n) · (n, n) product; with `transposed_da` the gradient of a is
// (dy · bᵀ)ᵀ instead of dy · bᵀ: the right shape, the wrong values.
Array naive_matmul(const Array& a, const Array& b, bool ta, bool tb) {
  const std::size_t n = a.shape()[0];
  Array c = Array::zeros({n, n}, a.dtype());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < n; ++k) {
        s += (ta ? a.at(k * n + i) : a.at(i * n + k)) * (tb ? b.at(j * n + k) : b.at(k * n + j));
      }
      c.set(i * n + j, s);
    }
  return c;
}

Tensor square_matmul(const Tensor& a, const Tensor& b, bool transposed_da) {
  return record("user_square_matmul", naive_matmul(a.value(), b.value(), false, false), {a, b},
                [transposed_da](const Node& out, const Tensor& g) {
                  const Array& dy = g.value();
                  Array da = naive_matmul(dy, out.input_value(1), false, true);  // dy · bᵀ
                  if (transposed_da) da = naive_matmul(out.input_value(1), dy, false, true);  // (dy·bᵀ)ᵀ
                  Array db = naive_matmul(out.input_value(0), dy, true, false);  // aᵀ · dy
                  return Grads{Tensor(da), Tensor(db)};
                });
}

Tensor values(const std::vector<double>& v, const Shape& shape) {
  Array a = Array::empty(shape, kFloat64);
  for (std::size_t i = 0; i < v.size(); ++i) a.set(i, v[i]);
  return Tensor(a);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_gradcheck_tests)

BOOST_AUTO_TEST_CASE(correct_custom_ops_pass) {
  Tensor x = values({0.5, -1.2, 2.0, 0.3, -0.7, 1.1}, {2, 3});
  GradcheckResult r =
      gradcheck("sum_of_cubes",
                [](const std::vector<Tensor>& in) { return sum_of_cubes(in[0], 1, "user_cubes"); }, {x});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(r.message().empty());
  BOOST_TEST_REQUIRE(r.inputs.size() == 1u);
  BOOST_TEST(r.inputs[0].shape == Shape({2, 3}));
  BOOST_TEST(r.inputs[0].max_abs_error < 1e-7);

  Generator gen(9);
  Tensor a(gen.normal({3, 3}, 0, 1, kFloat64)), b(gen.normal({3, 3}, 0, 1, kFloat64));
  GradcheckResult m = gradcheck(
      "user_square_matmul",
      [](const std::vector<Tensor>& in) { return square_matmul(in[0], in[1], false); }, {a, b});
  BOOST_TEST(m.pass(), m.message());
  BOOST_TEST(m.inputs.size() == 2u);
}

BOOST_AUTO_TEST_CASE(factor_two_fails_and_names_everything) {
  // The largest |x| is element (1, 1) (x = -3): its error, (2 - 1) · 27 |u|, is the largest.
  Tensor x = values({0.5, -1.2, 2.0, 0.3, -3.0, 1.1}, {2, 3});
  GradcheckResult r = gradcheck(
      "user_cubes_wrong",
      [](const std::vector<Tensor>& in) { return sum_of_cubes(in[0], 2, "user_cubes_wrong"); }, {x});
  BOOST_TEST(!r.pass());
  BOOST_TEST_REQUIRE(r.inputs.size() == 1u);
  const InputReport& in = r.inputs[0];
  BOOST_TEST(!in.pass);
  BOOST_TEST(in.worst == (std::vector<std::size_t>{1, 1}));
  BOOST_TEST(in.analytic / in.numeric == 2.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(std::abs(in.numeric) > 1.0);  // 27 |u|, u a normal draw
  std::ostringstream want;
  want.precision(10);
  want << "user_cubes_wrong: input 0 (2, 3): element (1, 1): analytic " << in.analytic << ", numeric "
       << in.numeric << " (max abs error ";
  BOOST_TEST(r.message().find(want.str()) == 0u, r.message());
}

BOOST_AUTO_TEST_CASE(transposed_gradient_fails_on_that_input_only) {
  Generator gen(10);
  Tensor a(gen.normal({3, 3}, 0, 1, kFloat64)), b(gen.normal({3, 3}, 0, 1, kFloat64));
  GradcheckResult r = gradcheck(
      "user_square_matmul",
      [](const std::vector<Tensor>& in) { return square_matmul(in[0], in[1], true); }, {a, b});
  BOOST_TEST(!r.pass());
  BOOST_TEST_REQUIRE(r.inputs.size() == 2u);
  BOOST_TEST(!r.inputs[0].pass);
  BOOST_TEST(r.inputs[1].pass);
  const std::string msg = r.message();
  BOOST_TEST(msg.find("user_square_matmul: input 0 (3, 3): element ") == 0u, msg);
  BOOST_TEST(msg.find("input 1") == std::string::npos, msg);
  BOOST_TEST(msg.find("analytic ") != std::string::npos);
  BOOST_TEST(msg.find("numeric ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrt_selects_inputs) {
  Generator gen(11);
  Tensor a(gen.normal({3, 3}, 0, 1, kFloat64)), b(gen.normal({3, 3}, 0, 1, kFloat64));
  GradcheckOptions options;
  options.wrt = {1};  // the wrong gradient of input 0 is not looked at
  GradcheckResult r = gradcheck(
      "user_square_matmul",
      [](const std::vector<Tensor>& in) { return square_matmul(in[0], in[1], true); }, {a, b},
      options);
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST_REQUIRE(r.inputs.size() == 1u);
  BOOST_TEST(r.inputs[0].input == 1u);
  options.wrt = {2};
  BOOST_CHECK_THROW(
      gradcheck(
          "user_square_matmul",
          [](const std::vector<Tensor>& in) { return square_matmul(in[0], in[1], false); }, {a, b},
          options),
      ValueError);
}

BOOST_AUTO_TEST_CASE(float32_inputs_are_checked_in_float64) {
  Tensor x = tensor({0.5, -1.5, 2.0});  // float32
  GradcheckResult r = gradcheck(
      "user_cubes", [](const std::vector<Tensor>& in) { return sum_of_cubes(in[0], 1, "user_cubes"); }, {x});
  BOOST_TEST(r.pass(), r.message());
}

BOOST_AUTO_TEST_CASE(op_lists_and_the_table) {
  std::vector<OpInfo> ops;
  ops.emplace_back(
      "user_cubes_wrong",
      [](const std::vector<Tensor>& in) { return sum_of_cubes(in[0], 2, "user_cubes_wrong"); },
      [](Generator& g) {
        return std::vector<OpSample>{{"(4)", {Tensor(g.normal({4}, 0, 1, kFloat64))}}};
      });
  std::vector<OpCheck> checks = gradcheck_op(ops[0], 3);
  BOOST_TEST_REQUIRE(checks.size() == 1u);
  BOOST_TEST(checks[0].label == "(4)");
  BOOST_TEST(!checks[0].result.pass());
  std::ostringstream table;
  BOOST_TEST(print_gradcheck_table(table, ops[0], checks) == 1u);
  BOOST_TEST(table.str().find("FAIL") != std::string::npos, table.str());
  BOOST_TEST(table.str().find("user_cubes_wrong: input 0 (4): element ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
