// Tests for models/layers/rnn.h: LSTMCell, GRUCell, LSTM and GRU against
// PyTorch 1.13 (values and gradients, with initial states, two layers,
// batch_first), parameter names, shapes, order and the U(-1/√H, 1/√H)
// initialisation, gradcheck of whole layers in float64 (inputs, states and
// parameters), unbatched input, multi-input calls, 1 vs 2 threads, errors.
// The options (bidirectional, proj_size, dropout): test_rnn_options.cpp.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>

#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "models/layers/dropout.h"
#include "models/layers/rnn.h"
#include "ops/arithmetic.h"
#include "ops/dropout.h"
#include "ops/sum.h"
#include "tests/models/layers/reference_values.h"
#include "tests/models/layers/rnn_test_util.h"
#include "tests/test_messages.h"
#include "tests/test_values.h"

using namespace xgrad;
using xgrad::testing::check_values;
using xgrad::testing::message_is;
using xgrad::testing::param;
using xgrad::testing::parameter_grad_error;
using xgrad::testing::same_bits;
using xgrad::testing::set_all;
using xgrad::testing::stack_results;
using xgrad::testing::sv;

BOOST_AUTO_TEST_SUITE(models_layers_rnn_tests)

BOOST_AUTO_TEST_CASE(lstm_cell_matches_pytorch) {
  Generator gen(1);
  LSTMCell cell(3, 2, gen, true, kFloat64);
  set_all(cell);  // weight_ih 1, weight_hh 2, bias_ih 3, bias_hh 4
  Tensor x = sv({2, 3}, 5, true), h = sv({2, 2}, 6, true), c = sv({2, 2}, 7, true);
  LSTMState s = cell.forward_with_state(x, {h, c});
  (sum(s.h * sv({2, 2}, 8)) + sum(s.c * sv({2, 2}, 9))).backward();
  // Reference: torch::nn::LSTMCell(3, 2), the same parameters, input, state
  // and upstream gradients (PyTorch 1.13.0, float64).
  check_values(s.h.value(), {0.151649818183, -0.00873337656446, 0.0279472530808, -0.188451388807},
               1e-11);
  check_values(s.c.value(), {0.388844210737, -0.0179688204789, 0.142730982367, -0.321803546199},
               1e-11);
  check_values(x.grad(),
               {-0.0580545782978, -0.0178466146524, 0.0485066812689, 0.0651285140368,
                0.0482285992131, -0.0393263264454},
               1e-11);
  check_values(h.grad(), {-0.0268305553048, 0.0490880817368, 0.0144870833377, -0.0799289129438},
               1e-11);
  check_values(c.grad(), {0.151839452505, -0.233995390433, -0.284879427922, -0.0034373236158},
               1e-11);
  check_values(param(cell, "weight_hh").grad(),
               {-0.0273266630986, 0.0392934218155, -0.00944077456961, 0.0287394331078,
                -0.000261506585647, 0.0103053657024, 0.00521189657691, -0.0153213431818,
                -0.0823882937898, 0.0677675132054, 0.00665818149896, -0.0212594511431,
                -0.00999064859516, 0.0212059244734, 0.00847230129443, -0.00537276901663},
               1e-11);
}

BOOST_AUTO_TEST_CASE(gru_cell_matches_pytorch) {
  Generator gen(2);
  GRUCell cell(3, 2, gen, true, kFloat64);
  set_all(cell);
  Tensor x = sv({2, 3}, 5, true), h = sv({2, 2}, 6, true);
  Tensor h1 = cell(x, h);  // the multi-input call
  sum(h1 * sv({2, 2}, 8)).backward();
  // Reference: torch::nn::GRUCell(3, 2) (PyTorch 1.13.0, float64).
  check_values(h1.value(), {0.356861709444, 0.0703136439312, 0.383265833366, -0.0782611285539},
               1e-11);
  check_values(x.grad(),
               {-0.0769958839821, -0.0207629278192, 0.0658877662411, 0.0132996283117,
                0.0712100370663, 0.0247975746914},
               1e-11);
  check_values(h.grad(), {0.158962538002, 0.0163635154894, -0.268732347347, -0.243587177772},
               1e-11);
  check_values(
      param(cell, "weight_ih").grad(),
      {-0.00502771150988, -0.000236046598351, 0.00490142713276, 0.0020185691863, -0.00159186155878,
       -0.00287021139092, 0.0480154281765, -0.00229983292612, -0.0492458334041, 0.000494606287748,
       -0.0103561780387, -0.00603513727648, -0.117126451294, 0.0595064130033, 0.148962242842,
       -0.0327098252682, 0.0371918561184, 0.0526073811603},
      1e-11);
  check_values(param(cell, "bias_hh").grad(),
               {0.0119145990254, 0.00264777860648, -0.0937206954639, 0.0445598689962,
                -0.0291467110051, -0.0171155616454},
               1e-11);
}

BOOST_AUTO_TEST_CASE(lstm_two_layers_batch_first_matches_pytorch) {
  Generator gen(3);
  LSTM lstm(3, 2, gen, 2, true, true, kFloat64);
  set_all(lstm);
  Tensor x = sv({2, 3, 3}, 20, true), h0 = sv({2, 2, 2}, 21, true), c0 = sv({2, 2, 2}, 22, true);
  auto [out, state] = lstm.forward_with_state(x, {h0, c0});
  BOOST_TEST(out.shape() == (Shape{2, 3, 2}));
  BOOST_TEST(state.h.shape() == (Shape{2, 2, 2}));
  (sum(out * sv({2, 3, 2}, 23)) + sum(state.h * sv({2, 2, 2}, 24)) +
   sum(state.c * sv({2, 2, 2}, 25)))
      .backward();
  // Reference: torch::nn::LSTM(LSTMOptions(3, 2).num_layers(2).batch_first(true))
  // with parameters set in named_parameters() order (PyTorch 1.13.0, float64).
  check_values(out.value(),
               {0.0384385903006, 0.135881662844, 0.0751576141679, 0.175203441903, 0.0712475697661,
                0.187035639539, 0.0345736333938, 0.099017476127, 0.0589755120955, 0.162849566738,
                0.0452581674002, 0.185348788229},
               1e-11);
  check_values(state.h.value(),
               {0.0702930548825, -0.202317657715, 0.0586716404172, -0.0650303099923,
                0.0712475697661, 0.187035639539, 0.0452581674002, 0.185348788229},
               1e-11);
  check_values(state.c.value(),
               {0.331493281839, -0.367244616557, 0.273541658511, -0.121587872346, 0.123674172481,
                0.614163297131, 0.0782457942048, 0.623132447352},
               1e-11);
  check_values(
      x.grad(),
      {0.0294469006386, -0.00293027639369, -0.0310145916443, 0.0697600329375, -0.00134062664041,
       -0.0704772650493, 0.0930395590271, 0.00410741509669, -0.0908421015731, -0.0264922388865,
       -0.0146885484628, 0.0186338998705, -0.0227574167566, -0.00539294259627, 0.0198722051019,
       -0.0886465169721, -0.0725476032373, 0.049833719201},
      1e-11);
  check_values(h0.grad(),
               {0.0203792997578, -0.00791325860995, -0.011273584529, 0.0192854475249,
                0.0753485280093, 0.0774811959911, 0.0112159847025, 0.0395720375731},
               1e-11);
  check_values(c0.grad(),
               {-0.00844901650209, 0.227101509036, 0.031891898597, -0.0608553115064,
                -0.0837034592958, -0.0194266407267, -0.0363611767706, 0.0219368062953},
               1e-11);
  check_values(param(lstm, "weight_hh_l0").grad(),
               {-0.00256295678608, 0.00369530342886, -0.00453363639937, 0.0129317513344,
                0.00413208936416, 0.000284007908342, -0.0172188119471, 0.0245117189664,
                -0.00799201648596, -0.00591099849934, 0.0460306662537, -0.0477872020662,
                3.47038673476e-05, 0.00308561033859, -0.00602459648033, 0.00617555030723},
               1e-11);
  check_values(param(lstm, "bias_ih_l1").grad(),
               {-0.00562234105631, 0.0516847440284, -0.0225431115776, 0.0277228388111,
                -0.251244632515, 0.116663441908, -0.00589802485113, -0.023745212661},
               1e-11);
}

BOOST_AUTO_TEST_CASE(gru_two_layers_matches_pytorch) {
  Generator gen(4);
  GRU gru(3, 2, gen, 2, true, false, kFloat64);
  set_all(gru);
  Tensor x = sv({3, 2, 3}, 20, true), h0 = sv({2, 2, 2}, 21, true);
  auto [out, h_n] = gru.forward_with_state(x, h0);
  (sum(out * sv({3, 2, 2}, 23)) + sum(h_n * sv({2, 2, 2}, 24))).backward();
  // Reference: torch::nn::GRU(GRUOptions(3, 2).num_layers(2)) (PyTorch 1.13.0, float64).
  check_values(out.value(),
               {0.0404824223091, 0.524539224703, 0.0966320906148, 0.157882636689, -0.0625478524592,
                0.594935488403, 0.0826885889577, 0.428520639555, -0.0256443469377, 0.581634799293,
                -0.0242770549699, 0.562354679273},
               1e-11);
  check_values(h_n.value(),
               {0.536300573464, -0.14392485876, 0.218607166916, -0.0334655477829, -0.0256443469377,
                0.581634799293, -0.0242770549699, 0.562354679273},
               1e-11);
  check_values(
      x.grad(),
      {0.00690264977847, -0.00275945045383, -0.00837894930657, 0.058977895256, 0.032797193639,
       -0.0414314734948, -0.000906144331949, 0.00893057835684, 0.00568398283074, 0.0198498356194,
       -0.0297698020136, -0.0357766099534, 0.0516797941295, 0.0326137080562, -0.0342315367252,
       -0.0314256847219, -0.0877659662672, -0.0155289016173},
      1e-11);
  check_values(h0.grad(),
               {0.00631727635733, 0.0476740613122, -0.0176041303051, 0.240603305588,
                -0.0440719720798, -0.23326259489, 0.0335768605736, 0.291337104361},
               1e-11);
  check_values(param(gru, "weight_ih_l1").grad(),
               {0.000709995184859, -0.00106875926769, -0.0272159618564, -0.00894779453128,
                -0.0235107474452, 0.00780804559373, -0.0288481430103, 0.0392775226607,
                -0.130932440225, 0.0327891980861, -0.0476731409702, -0.159091203468},
               1e-11);
  check_values(param(gru, "bias_hh_l0").grad(),
               {-0.00456761000766, -0.0164998409245, 0.0726726785699, -0.0150414498261,
                0.0754811309849, 0.0664454948188},
               1e-11);
}

BOOST_AUTO_TEST_CASE(parameter_names_shapes_and_init_bound) {
  Generator gen(5);
  LSTM lstm(10, 20, gen, 2);
  const std::vector<std::pair<std::string, Shape>> want{
      {"weight_ih_l0", {80, 10}}, {"weight_hh_l0", {80, 20}}, {"bias_ih_l0", {80}},
      {"bias_hh_l0", {80}},       {"weight_ih_l1", {80, 20}}, {"weight_hh_l1", {80, 20}},
      {"bias_ih_l1", {80}},       {"bias_hh_l1", {80}}};
  const auto params = lstm.parameters();
  BOOST_TEST_REQUIRE(params.size() == want.size());
  const double bound = 1 / std::sqrt(20.0);
  for (std::size_t i = 0; i < want.size(); ++i) {
    BOOST_TEST(params[i].name == want[i].first);
    BOOST_TEST(params[i].tensor.shape() == want[i].second);
    BOOST_TEST((params[i].role == (i % 4 < 2 ? ParamRole::kWeight : ParamRole::kBias)));
    double top = 0;
    for (std::size_t k = 0; k < params[i].tensor.size(); ++k) {
      top = std::max(top, std::abs(params[i].tensor.value().at(k)));
    }
    BOOST_TEST(top <= bound);
    BOOST_TEST(top > 0.9 * bound);
  }
  BOOST_TEST(lstm.name() == "LSTM(10, 20, num_layers=2)");
  GRU gru(4, 5, gen, 1, false, true);
  BOOST_TEST(gru.parameters().size() == 2u);
  BOOST_TEST(gru.parameters()[0].tensor.shape() == (Shape{15, 4}));
  BOOST_TEST(gru.name() == "GRU(4, 5, bias=false, batch_first=true)");
  GRUCell gc(4, 5, gen);
  BOOST_TEST(gc.parameters()[1].name == "weight_hh");
  BOOST_TEST(gc.parameters()[1].tensor.shape() == (Shape{15, 5}));
  BOOST_TEST(LSTMCell(4, 5, gen, false).name() == "LSTMCell(4, 5, bias=false)");
}

BOOST_AUTO_TEST_CASE(gradcheck_whole_layers_in_float64) {
  Generator gen(6);
  auto lstm = std::make_shared<LSTM>(2, 3, gen, 2, true, true, kFloat64);
  auto fl = [lstm](const std::vector<Tensor>& in) {
    auto r = lstm->forward_with_state(in[0], {in[1], in[2]});
    return std::vector<Tensor>{r.output, r.state.h, r.state.c};
  };
  const Tensor x = sv({2, 4, 2}, 1), h0 = sv({2, 2, 3}, 2), c0 = sv({2, 2, 3}, 3);
  GradcheckResult r = gradcheck("LSTM", MultiFn(fl), {x, h0, c0});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*lstm, [&] { return (*lstm)(x, h0, c0); }) < 1e-7);

  auto gru = std::make_shared<GRU>(2, 3, gen, 2, true, false, kFloat64);
  auto fg = [gru](const std::vector<Tensor>& in) {
    auto g = gru->forward_with_state(in[0], in[1]);
    return std::vector<Tensor>{g.output, g.h_n};
  };
  r = gradcheck("GRU", MultiFn(fg), {sv({4, 2, 2}, 4), sv({2, 2, 3}, 5)});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*gru, [&] { return (*gru)(sv({4, 2, 2}, 4)); }) < 1e-7);

  auto lc = std::make_shared<LSTMCell>(3, 2, gen, true, kFloat64);
  auto fc = [lc](const std::vector<Tensor>& in) {
    LSTMState s = lc->forward_with_state(in[0], {in[1], in[2]});
    return std::vector<Tensor>{s.h, s.c};
  };
  r = gradcheck("LSTMCell", MultiFn(fc), {sv({2, 3}, 6), sv({2, 2}, 7), sv({2, 2}, 8)});
  BOOST_TEST(r.pass(), r.message());
  auto gc = std::make_shared<GRUCell>(3, 2, gen, true, kFloat64);
  auto fgc = [gc](const std::vector<Tensor>& in) { return (*gc)(in[0], in[1]); };
  r = gradcheck("GRUCell", OpFn(fgc), {sv({2, 3}, 9), sv({2, 2}, 10)});
  BOOST_TEST(r.pass(), r.message());
  BOOST_TEST(parameter_grad_error(*gc, [&] {
               return (*gc)(sv({2, 3}, 9), sv({2, 2}, 10));
             }) < 1e-7);
}

BOOST_AUTO_TEST_CASE(zero_state_unbatched_and_multi_input_calls_agree) {
  Generator gen(7);
  LSTM lstm(3, 4, gen, 2, true, false, kFloat64);
  const Tensor x = sv({5, 2, 3}, 1);
  const Tensor zeros(Array::zeros({2, 2, 4}, kFloat64));
  const LSTMOutput a = lstm.forward_with_state(x);
  BOOST_TEST(same_bits(a.output.value(), lstm(x).value()));
  BOOST_TEST(same_bits(a.output.value(), lstm(x, zeros, zeros).value()));
  BOOST_TEST(same_bits(a.output.value(), lstm({x, zeros, zeros}).value()));
  // The output's last step is the last layer's final h.
  for (std::size_t i = 0; i < 8; ++i) {
    BOOST_TEST(a.output.value().at(4 * 8 + i) == a.state.h.value().at(8 + i));
  }
  // Unbatched: (T, F) gives batch element 0 of the batched result without the batch axis.
  const Tensor x0 = sv({5, 3}, 1);
  Array xb = Array::zeros({5, 1, 3}, kFloat64);
  for (std::size_t i = 0; i < 15; ++i) xb.set(i, x0.value().at(i));
  const LSTMOutput u = lstm.forward_with_state(x0);
  const LSTMOutput b = lstm.forward_with_state(Tensor(xb));
  BOOST_TEST(u.output.shape() == (Shape{5, 4}));
  BOOST_TEST(u.state.h.shape() == (Shape{2, 4}));
  check_values(u.output.value(),
               std::vector<double>(b.output.value().get<double>().begin(),
                                   b.output.value().get<double>().end()),
               0);
  // The cells: forward(x) starts from zeros.
  LSTMCell cell(3, 4, gen, true, kFloat64);
  const Tensor z2(Array::zeros({2, 4}, kFloat64));
  BOOST_TEST(same_bits(cell(sv({2, 3}, 2)).value(), cell(sv({2, 3}, 2), z2, z2).value()));
  GRUCell gcell(3, 4, gen, true, kFloat64);
  BOOST_TEST(same_bits(gcell(sv({2, 3}, 2)).value(), gcell(sv({2, 3}, 2), z2).value()));
  BOOST_TEST(gcell(sv({3}, 2)).shape() == (Shape{4}));
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_bit_identical) {
  auto run = [](std::size_t threads) {
    ThreadLimit limit(threads);
    Generator gen(8);
    LSTM lstm(16, 32, gen, 2, true, true);
    GRU gru(32, 8, gen);
    return stack_results(lstm, gru, gen);
  };
  const auto one = run(1), two = run(2);
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(same_bits(one[i], two[i]));
}

BOOST_AUTO_TEST_CASE(errors_name_the_layer_and_shapes) {
  Generator gen(9);
  LSTM lstm(3, 4, gen);
  BOOST_CHECK_EXCEPTION(
      lstm(Tensor(Array::zeros({5, 2, 2}, kFloat32))), ShapeError,
      message_is("LSTM(3, 4): input must be (T, N, 3) or (T, 3): input (5, 2, 2)"));
  BOOST_CHECK_EXCEPTION(
      lstm(Tensor(Array::zeros({5, 2, 3}, kFloat32)), Tensor(Array::zeros({1, 3, 4}, kFloat32)),
           Tensor(Array::zeros({1, 3, 4}, kFloat32))),
      ShapeError,
      message_is("LSTM(3, 4): h0 must be (num_layers, N, hidden_size) for this input: h0 (1, 3, "
                 "4), expected (1, 2, 4)"));
  BOOST_CHECK_EXCEPTION(lstm(Tensor(Array::zeros({5, 2, 3}, kFloat64))), DTypeError,
                        message_is("LSTM(3, 4): input must have the parameters' dtype: input "
                                   "float64, weight float32"));
  BOOST_CHECK_EXCEPTION(
      lstm({Tensor(Array::zeros({5, 2, 3}, kFloat32)), Tensor(Array::zeros({1, 2, 4}, kFloat32))}),
      ValueError, message_is("LSTM(3, 4): takes (x) or (x, h0, c0), got 2 inputs"));
  GRUCell cell(3, 4, gen);
  BOOST_CHECK_EXCEPTION(
      cell(Tensor(Array::zeros({2, 3}, kFloat32)), Tensor(Array::zeros({2, 5}, kFloat32))),
      ShapeError,
      message_is("GRUCell(3, 4): h must match the input's batch and "
                 "hidden_size: h (2, 5), expected (2, 4)"));
  BOOST_CHECK_THROW(LSTM(3, 4, gen, 0), ValueError);
  BOOST_CHECK_THROW(GRUCell(0, 4, gen), ValueError);
}

// ---- RNNOptions: bidirectional, proj_size, dropout ----

BOOST_AUTO_TEST_SUITE_END()
