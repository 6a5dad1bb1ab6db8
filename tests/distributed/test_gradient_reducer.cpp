// GradientReducer: buckets in reverse creation order, sums weighted by
// each rank's share, parameters without a gradient, buckets started during
// backward.
#include <boost/test/unit_test.hpp>

#include "framework/tensor.h"
#include "models/distributed/gradient_reducer.h"
#include "ops/arithmetic.h"
#include "ops/sum.h"
#include "tests/test_messages.h"

namespace {
using namespace xgrad;
using xgrad::testing::message_is;

// Bare parameters of given sizes, created in the listed order.
class Params : public Module {
 public:
  Params(const std::vector<std::pair<std::string, std::size_t>>& sizes,
         const std::vector<DType>& dtypes = {}) {
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const DType dtype = i < dtypes.size() ? dtypes[i] : kFloat32;
      t.push_back(register_parameter(sizes[i].first, Tensor(Array::zeros({sizes[i].second}, dtype)),
                                     ParamRole::kWeight));
    }
  }
  Tensor forward(const Tensor& x) override { return x; }
  std::string name() const override { return "Params"; }
  std::vector<Tensor> t;
};

// c(k)_i = (rank + 1) (k + 1) (i mod 7 + 1): small integers, exact sums.
Array coefficients(std::size_t k, std::size_t n, int rank, DType dtype) {
  Array c = Array::empty({n}, dtype);
  for (std::size_t i = 0; i < n; ++i) c.set(i, double((rank + 1) * (k + 1) * (i % 7 + 1)));
  return c;
}

// sum_k sum(p_k * c_k) over the parameters in `used`: gradient c_k.
Tensor loss_of(const Params& m, const std::vector<std::size_t>& used, int rank) {
  Tensor loss;
  for (std::size_t k : used) {
    const Tensor& p = m.t[k];
    Tensor term = sum(p * Tensor(coefficients(k, p.size(), rank, p.dtype())));
    loss = loss.defined() ? loss + term.to(kFloat32) : term.to(kFloat32);
  }
  return loss;
}

double rank_sum(int n) { return double(n * (n + 1) / 2); }  // sum of (rank + 1)
}  // namespace

BOOST_AUTO_TEST_SUITE(distributed_gradient_reducer_tests)

BOOST_AUTO_TEST_CASE(buckets_follow_reverse_creation_order) {
  Communicator world;
  Params m({{"a", 10}, {"b", 300}, {"c", 20}, {"d", 5}, {"e", 30}});
  ReducerOptions o;
  o.bucket_bytes = 200;  // 50 float32 gradients
  GradientReducer reducer(world, m.parameters(), o);
  const auto& b = reducer.buckets();
  BOOST_REQUIRE(b.size() == 4u);
  BOOST_TEST(b[0].params == (std::vector<std::string>{"e", "d"}));
  BOOST_TEST(b[1].params == (std::vector<std::string>{"c"}));
  BOOST_TEST(b[2].params == (std::vector<std::string>{"b"}));  // larger than a bucket: alone
  BOOST_TEST(b[3].params == (std::vector<std::string>{"a"}));
  BOOST_TEST(b[0].elements == 35u);
  BOOST_TEST(b[2].elements == 300u);
}

BOOST_AUTO_TEST_CASE(sums_of_weighted_gradients_across_several_buckets) {
  Communicator world;
  const int n = world.size();
  Params m({{"a", 10}, {"b", 300}, {"c", 20}, {"d", 5}, {"e", 30}});
  ReducerOptions o;
  o.bucket_bytes = 200;
  GradientReducer reducer(world, m.parameters(), o);
  for (int step = 0; step < 3; ++step) {  // the reducer is reused step after step
    for (Tensor& p : m.t) p.zero_grad();
    reducer.prepare(0.5);
    loss_of(m, {0, 1, 2, 3, 4}, world.rank()).backward();
    BOOST_TEST(reducer.buckets_started() == 4u);  // every bucket started during backward
    reducer.finish();
    for (std::size_t k = 0; k < m.t.size(); ++k) {
      const Array& g = m.t[k].grad();
      double worst = 0;
      for (std::size_t i = 0; i < g.size(); ++i) {
        const double expected = 0.5 * rank_sum(n) * double(k + 1) * double(i % 7 + 1);
        worst = std::max(worst, std::abs(g.at(i) - expected));
      }
      BOOST_TEST(worst == 0.0, "parameter " << k << ", step " << step);
    }
  }
  BOOST_TEST(reducer.stats().steps == 3u);
}

BOOST_AUTO_TEST_CASE(parameters_without_gradients_and_ranks_without_rows) {
  Communicator world;
  const int n = world.size(), last = n - 1;
  Params m({{"a", 10}, {"b", 300}, {"c", 20}, {"d", 5}, {"e", 30}});
  ReducerOptions o;
  o.bucket_bytes = 200;
  GradientReducer reducer(world, m.parameters(), o);
  // "a" gets a gradient on no rank, "c" on rank 0 only; the last rank has
  // no rows at all (weight 0, no backward), as a rank with an empty shard.
  reducer.prepare(world.rank() == last ? 0.0 : 1.0);
  if (world.rank() != last) {
    std::vector<std::size_t> used{1, 3, 4};
    if (world.rank() == 0) used.push_back(2);
    loss_of(m, used, world.rank()).backward();
  }
  reducer.finish();
  BOOST_TEST(!m.t[0].has_grad());  // as one process: no gradient, the optimiser skips it
  BOOST_REQUIRE(m.t[2].has_grad());
  BOOST_TEST(m.t[2].grad().at(8) == 1.0 * 3 * (8 % 7 + 1));  // rank 0's alone
  const double others = rank_sum(n - 1);                     // ranks 0 .. n-2
  BOOST_TEST(m.t[1].grad().at(299) == others * 2 * (299 % 7 + 1));
  BOOST_TEST(m.t[4].grad().at(0) == others * 5);
}

BOOST_AUTO_TEST_CASE(float64_parameters_get_buckets_of_their_own) {
  Communicator world;
  Params m({{"a", 4}, {"b", 6}, {"c", 3}}, {kFloat32, kFloat64, kFloat32});
  GradientReducer reducer(world, m.parameters());
  BOOST_REQUIRE(reducer.buckets().size() == 2u);
  BOOST_TEST(reducer.buckets()[0].params == (std::vector<std::string>{"c", "a"}));
  BOOST_CHECK(reducer.buckets()[1].dtype == kFloat64);
  reducer.prepare(1.0);
  loss_of(m, {0, 1, 2}, world.rank()).backward();
  reducer.finish();
  BOOST_CHECK(m.t[1].grad().dtype() == kFloat64);
  BOOST_TEST(m.t[1].grad().at(5) == rank_sum(world.size()) * 2 * 6);
}

BOOST_AUTO_TEST_CASE(without_overlap_every_bucket_starts_in_finish) {
  Communicator world;
  Params m({{"a", 10}, {"b", 300}});
  ReducerOptions o;
  o.bucket_bytes = 64;
  o.overlap = false;
  GradientReducer reducer(world, m.parameters(), o);
  reducer.prepare(1.0);
  loss_of(m, {0, 1}, world.rank()).backward();
  BOOST_TEST(reducer.buckets_started() == 0u);
  reducer.finish();
  BOOST_TEST(m.t[0].grad().at(3) == rank_sum(world.size()) * 4);
}

BOOST_AUTO_TEST_CASE(misuse_is_named) {
  Communicator world;
  Params m({{"a", 10}, {"b", 3}});
  ReducerOptions tiny;
  tiny.bucket_bytes = 2;
  BOOST_CHECK_EXCEPTION(
      GradientReducer(world, m.parameters(), tiny), ValueError,
      message_is<ValueError>(
          "GradientReducer: bucket size must be between 4 bytes and 1 GiB, got 2"));
  GradientReducer reducer(world, m.parameters());
  BOOST_CHECK_EXCEPTION(
      reducer.finish(), GraphError,
      message_is<GraphError>("GradientReducer::finish: prepare() was not called"));
  reducer.prepare(1.0);
  BOOST_CHECK_EXCEPTION(
      reducer.prepare(1.0), GraphError,
      message_is<GraphError>("GradientReducer::prepare: the previous step was not finished"));
  Tensor loss = loss_of(m, {0, 1}, world.rank());
  loss.backward(/*retain_graph=*/true);
  BOOST_CHECK_EXCEPTION(
      loss.backward(), GraphError,
      message_is<GraphError>("GradientReducer: parameter 'b' received a second gradient after its "
                             "bucket was sent; run one backward pass between prepare() and "
                             "finish()"));
  reducer.finish();  // every rank threw alike; the step still completes on all
}

BOOST_AUTO_TEST_SUITE_END()
