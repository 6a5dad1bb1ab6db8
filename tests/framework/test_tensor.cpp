// Tensor and its factories: nested-list creation, constants, shape/dtype/item,
// printing, and leaf-only operations.
#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "framework/factory.h"
#include "ops/arithmetic.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {
std::string print(const Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(framework_tensor_tests)

BOOST_AUTO_TEST_CASE(nested_lists_give_shape_and_row_major_values) {
  Tensor v = tensor({1.0, 2.0, 3.0}, kFloat64);
  BOOST_TEST(v.shape() == Shape({3}));
  Tensor m = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  BOOST_TEST(m.shape() == Shape({2, 3}));
  BOOST_CHECK(m.dtype() == kFloat32);  // the training default
  BOOST_TEST(m.dim() == 2u);
  BOOST_TEST(m.size() == 6u);
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(m.value().at(i) == double(i + 1));
  Tensor t3 = tensor({{{1.0}, {2.0}}, {{3.0}, {4.0}}}, kFloat64);
  BOOST_TEST(t3.shape() == Shape({2, 2, 1}));
  BOOST_TEST(t3.value().at(2) == 3.0);
  Tensor t4 = tensor({{{{1.0, 2.0}}}}, kFloat64);
  BOOST_TEST(t4.shape() == Shape({1, 1, 1, 2}));
  Tensor s = tensor(2.5, kFloat64);
  BOOST_TEST(s.shape() == Shape({}));
  BOOST_TEST(s.item() == 2.5);
}

BOOST_AUTO_TEST_CASE(constants) {
  Tensor z = zeros({2, 3}, kFloat64);
  Tensor o = ones({4});
  Tensor f = full({2, 2}, -1.5, kFloat64);
  BOOST_CHECK(z.dtype() == kFloat64);
  BOOST_CHECK(o.dtype() == kFloat32);
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(z.value().at(i) == 0.0);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(o.value().at(i) == 1.0);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(f.value().at(i) == -1.5);
  BOOST_TEST(zeros_like(f).shape() == Shape({2, 2}));
  BOOST_CHECK(ones_like(f).dtype() == kFloat64);
  BOOST_TEST(scalar(3.0).item() == 3.0);
  BOOST_TEST(z.is_leaf());
  BOOST_TEST(!z.requires_grad());
  BOOST_TEST(z.op() == "leaf");
}

BOOST_AUTO_TEST_CASE(item_needs_one_element) {
  BOOST_TEST(tensor({{7.0}}, kFloat64).item() == 7.0);
  BOOST_CHECK_EXCEPTION(zeros({2, 3}).item(), ShapeError,
                        message_is("item: only a one-element array has an item: array (2, 3)"));
}

BOOST_AUTO_TEST_CASE(printing_shows_shape_dtype_requires_grad_and_op) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}).requires_grad_();
  const std::string leaf = print(x);
  BOOST_TEST(leaf.find("Tensor(shape=(2, 3), dtype=float32, requires_grad=true, op=leaf)") == 0u,
             leaf);
  BOOST_TEST(leaf.find("4") != std::string::npos);
  const std::string sum = print(x + 1.0);
  BOOST_TEST(
      sum.find("Tensor(shape=(2, 3), dtype=float32, requires_grad=true, op=add_scalar)") == 0u,
      sum);
  const std::string plain = print(zeros({2}, kFloat64));
  BOOST_TEST(plain.find("Tensor(shape=(2), dtype=float64, requires_grad=false, op=leaf)") == 0u,
             plain);
  BOOST_TEST(print(Tensor()) == "Tensor(undefined)");
}

BOOST_AUTO_TEST_CASE(requires_grad_only_on_leaves) {
  Tensor x = zeros({2}, kFloat64).requires_grad_();
  BOOST_TEST(x.requires_grad());
  Tensor y = x * 2.0;
  BOOST_CHECK_EXCEPTION(y.requires_grad_(false), GraphError,
                        message_is("requires_grad_: only a leaf can change requires_grad; "
                                   "'mul_scalar' is the output of an op (use detach() first)"));
  BOOST_CHECK_THROW(y.mutable_value(), GraphError);
  x.requires_grad_(false);
  BOOST_TEST(!x.requires_grad());
}

BOOST_AUTO_TEST_CASE(copies_share_the_node) {
  Tensor x = zeros({2}, kFloat64);
  Tensor alias = x;
  x.mutable_value().fill_(4.0);
  BOOST_TEST(alias.value().at(1) == 4.0);
  BOOST_TEST(alias.node() == x.node());
}

BOOST_AUTO_TEST_CASE(undefined_tensor_is_an_error_not_a_crash) {
  Tensor u;
  BOOST_TEST(!u.defined());
  BOOST_CHECK_EXCEPTION(u.value(), GraphError, message_is("Tensor: use of an undefined tensor"));
  BOOST_CHECK_THROW(u + 1.0, GraphError);
  BOOST_CHECK_THROW(Tensor{Array()}, GraphError);
}

// Issue 14 item 12: a ragged nested list is a ShapeError, never an overflow
// or an uninitialised element.
BOOST_AUTO_TEST_CASE(ragged_nested_lists_are_refused) {
  BOOST_CHECK_EXCEPTION(tensor({{1.0}, {3.0, 4.0, 5.0}}), ShapeError,
                        message_is("tensor: nested lists must be rectangular: along dimension 1 "
                                   "a list of 3 elements follows one of 1"));
  BOOST_CHECK_EXCEPTION(tensor({{1.0, 2.0}, {3.0}}), ShapeError,
                        message_is("tensor: nested lists must be rectangular: along dimension 1 "
                                   "a list of 1 elements follows one of 2"));
  const Tensor ok = tensor({{1.0, 2.0}, {3.0, 4.0}});
  BOOST_TEST((ok.shape() == Shape{2, 2}));
  BOOST_TEST(ok.value().at({1, 0}) == 3.0);
}

// Issue 14 item 13: element access is bounds-checked, by flat and by
// multi-index, for reading and writing; nothing is written on an error.
BOOST_AUTO_TEST_CASE(element_access_is_bounds_checked) {
  Array a = Array::zeros({2, 3}, kFloat32);
  BOOST_CHECK_EXCEPTION(a.at(6), ShapeError,
                        message_is("Array::at: flat index 6 is out of range: array (2, 3)"));
  BOOST_CHECK_EXCEPTION(a.set(100, 1.0), ShapeError,
                        message_is("Array::set: flat index 100 is out of range: array (2, 3)"));
  BOOST_CHECK_EXCEPTION(a.at({2, 0}), ShapeError,
                        message_is("Array::at: index out of range: array (2, 3), index (2, 0)"));
  BOOST_CHECK_EXCEPTION(a.set({0, 3}, 1.0), ShapeError,
                        message_is("Array::set: index out of range: array (2, 3), index (0, 3)"));
  BOOST_CHECK_EXCEPTION(a.at(std::vector<std::size_t>{1}), ShapeError,
                        message_is("Array::at: index out of range: array (2, 3), index (1)"));
  for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(a.at(i) == 0.0);
  a.set({1, 2}, 7.0);
  BOOST_TEST(a.at(5) == 7.0);
}

BOOST_AUTO_TEST_SUITE_END()
