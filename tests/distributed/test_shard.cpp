// Shards: disjoint, contiguous, in rank order, covering every global batch.
#include <boost/test/unit_test.hpp>

#include "framework/error.h"
#include "models/distributed/shard.h"
#include "tests/test_messages.h"

namespace {
using namespace xgrad;
using xgrad::testing::message_is;
}  // namespace

BOOST_AUTO_TEST_SUITE(distributed_shard_tests)

BOOST_AUTO_TEST_CASE(shards_partition_every_batch_in_rank_order) {
  for (int ranks = 1; ranks <= 5; ++ranks) {
    for (std::size_t batch = 0; batch <= 23; ++batch) {
      std::size_t next = 0, smallest = batch, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const Shard s = shard_of(batch, r, ranks);
        BOOST_TEST(s.begin == next, "batch " << batch << ", rank " << r << " of " << ranks);
        next = s.end;
        smallest = std::min(smallest, s.size());
        largest = std::max(largest, s.size());
      }
      BOOST_TEST(next == batch);
      BOOST_TEST(largest - smallest <= 1u);
      if (batch > 0) BOOST_TEST(!shard_of(batch, 0, ranks).empty());
    }
  }
  const Shard s = shard_of(10, 2, 3);  // 4, 3, 3
  BOOST_TEST(s.begin == 7u);
  BOOST_TEST(s.end == 10u);
}

BOOST_AUTO_TEST_CASE(global_batches_and_their_rows) {
  const std::vector<std::size_t> order{9, 8, 7, 6, 5, 4, 3};
  BOOST_TEST(global_batch(order, 1, 3) == (std::vector<std::size_t>{6, 5, 4}));
  BOOST_TEST(global_batch(order, 2, 3) == (std::vector<std::size_t>{3}));  // the uneven last
  const std::vector<std::size_t> rows = global_batch(order, 0, 3);
  BOOST_TEST(rows_of(rows, shard_of(3, 0, 2)) == (std::vector<std::size_t>{9, 8}));
  BOOST_TEST(rows_of(rows, shard_of(3, 1, 2)) == (std::vector<std::size_t>{7}));
  BOOST_TEST(rows_of({3}, shard_of(1, 1, 2)).empty());
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_named) {
  BOOST_CHECK_EXCEPTION(shard_of(4, 2, 2), ValueError,
                        message_is<ValueError>("shard_of: rank must be in [0, 2), got 2"));
  BOOST_CHECK_EXCEPTION(
      global_batch({1, 2, 3}, 1, 3), ValueError,
      message_is<ValueError>("global_batch: batch 1 of size 3 is past the 3 samples of the epoch"));
}

BOOST_AUTO_TEST_SUITE_END()
