// run_job, xgrad-train's work as a library call: it trains from a CSV source
// and says what it wrote; resumed with no epochs left it says so and writes
// nothing (issue 14, item 15: it used to print "wrote ..." all the same).
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>

#include "models/train/train_job.h"
#include "tests/framework/temp_dir.h"

namespace {
using namespace xgrad;
namespace fs = std::filesystem;

// What run_job prints, through a temporary file.
std::string run_and_capture(const TrainJob& job) {
  std::FILE* out = std::tmpfile();
  BOOST_TEST_REQUIRE(out != nullptr);
  run_job(job, out);
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text += char(c);
  std::fclose(out);
  return text;
}

TrainJob blobs_job(const fs::path& out) {
  TrainJob job;
  job.model.kind = "mlp";
  job.model.hidden = {8};
  job.data = std::string("csv:") + XGRAD_SOURCE_DIR + "/tests/data/blobs.csv";
  job.options.epochs = 2;
  job.options.batch_size = 16;
  job.options.out_dir = out.string();
  job.options.log = nullptr;
  job.quiet = true;
  return job;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(models_train_train_job_tests)

BOOST_AUTO_TEST_CASE(says_what_it_wrote_and_when_there_was_nothing_to_train) {
  const fs::path dir = xgrad::testing::temp_dir("train_job");
  TrainJob job = blobs_job(dir);
  const std::string first = run_and_capture(job);
  BOOST_TEST(first.find("wrote " + dir.string() + "/{metrics.csv,training.svg,checkpoint.npz}\n") !=
             std::string::npos);
  const std::string saved = xgrad::testing::read_bytes(dir / "checkpoint.npz");

  job.resume = (dir / "checkpoint.npz").string();
  const std::string again = run_and_capture(job);
  BOOST_TEST(again.find("wrote") == std::string::npos, again);
  BOOST_TEST(again.find("nothing to train: the checkpoint has 2 epochs and --epochs is 2\n") !=
             std::string::npos);
  BOOST_TEST((xgrad::testing::read_bytes(dir / "checkpoint.npz") == saved));

  job.options.epochs = 3;  // one more epoch: written
  BOOST_TEST(run_and_capture(job).find("wrote") != std::string::npos);
  BOOST_TEST(fs::exists(dir / "checkpoint_epoch3.npz"));
}

BOOST_AUTO_TEST_CASE(resuming_another_activation_is_refused) {
  const fs::path dir = xgrad::testing::temp_dir("train_job_activation");
  TrainJob job = blobs_job(dir);
  run_and_capture(job);
  job.model.activation = "tanh";
  job.resume = (dir / "checkpoint.npz").string();
  BOOST_CHECK_THROW(run_and_capture(job), FileError);
}

BOOST_AUTO_TEST_SUITE_END()
