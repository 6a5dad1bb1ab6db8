// The collectives xgrad uses, on 2 or 3 ranks: broadcasts of arrays,
// sums, and the fingerprints that tell ranks apart.
#include <boost/test/unit_test.hpp>
#include <cstring>

#include "framework/generator.h"
#include "models/distributed/communicator.h"

namespace {
using namespace xgrad;
}  // namespace

BOOST_AUTO_TEST_SUITE(distributed_communicator_tests)

BOOST_AUTO_TEST_CASE(broadcast_replaces_arrays_with_the_roots) {
  Communicator world;
  BOOST_REQUIRE(world.size() >= 2);
  Generator gen(7);
  const NamedArrays reference{{"a.weight", gen.normal({3, 4}, 0, 1, kFloat32)},
                              {"b", gen.normal({5}, 0, 1, kFloat64)},
                              {"step", Array::full({1}, 42, kInt64)},
                              {"scalar", Array::scalar(2.5, kFloat32)}};
  NamedArrays mine;
  if (world.rank() == 0) mine = reference;
  if (world.rank() == 2) mine = {{"other", Array::zeros({9}, kFloat32)}};  // replaced, not merged
  world.broadcast(mine, 0);
  BOOST_REQUIRE(mine.size() == reference.size());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    BOOST_TEST(mine[i].first == reference[i].first);
    BOOST_CHECK(mine[i].second.dtype() == reference[i].second.dtype());
    BOOST_TEST(mine[i].second.shape() == reference[i].second.shape());
    BOOST_TEST(max_abs_diff(mine[i].second, reference[i].second) == 0.0);
  }
  BOOST_TEST(fingerprint(mine) == fingerprint(reference));

  std::string text = world.rank() == 1 ? "from rank 1" : "";
  world.broadcast(text, 1);
  BOOST_TEST(text == "from rank 1");
}

BOOST_AUTO_TEST_CASE(sums_maxima_and_gathers) {
  Communicator world;
  const int n = world.size();
  std::vector<double> v{double(world.rank()), 1.0};
  world.allreduce_sum(v);
  BOOST_TEST(v[0] == double(n * (n - 1) / 2));
  BOOST_TEST(v[1] == double(n));
  std::vector<std::int64_t> m{world.rank() == 1 ? 7 : -1, -5};
  world.allreduce_max(m);
  BOOST_TEST(m[0] == 7);
  BOOST_TEST(m[1] == -5);
  const std::vector<std::uint64_t> all = world.allgather(std::uint64_t(100 + world.rank()));
  BOOST_REQUIRE(all.size() == std::size_t(n));
  for (int r = 0; r < n; ++r) BOOST_TEST(all[std::size_t(r)] == std::uint64_t(100 + r));
}

BOOST_AUTO_TEST_CASE(fingerprints_tell_ranks_apart) {
  Communicator world;
  BOOST_TEST(world.ranks_differing_from_root(12345) == "");
  BOOST_TEST(world.ranks_differing_from_root(world.rank() == 1 ? 1 : 2) == "1");
  const std::string expected = world.size() == 3 ? "1, 2" : "1";
  BOOST_TEST(world.ranks_differing_from_root(std::uint64_t(world.rank())) == expected);
}

BOOST_AUTO_TEST_CASE(one_bit_changes_a_fingerprint) {
  Generator gen(3);
  NamedArrays a{{"w", gen.normal({17}, 0, 1, kFloat32)}};
  NamedArrays b = a;
  BOOST_TEST(fingerprint(a) == fingerprint(b));
  float* p = b[0].second.data<float>();
  std::uint32_t bits;
  std::memcpy(&bits, p + 16, 4);
  bits ^= 1u;  // the last element's lowest bit: the tail of the byte stream
  std::memcpy(p + 16, &bits, 4);
  BOOST_TEST(fingerprint(a) != fingerprint(b));
  NamedArrays renamed{{"v", a[0].second}};
  BOOST_TEST(fingerprint(a) != fingerprint(renamed));
  NamedArrays reshaped{{"w", a[0].second.reshaped({1, 17})}};
  BOOST_TEST(fingerprint(a) != fingerprint(reshaped));
}

BOOST_AUTO_TEST_SUITE_END()
