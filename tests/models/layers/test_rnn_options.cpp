// Tests for the options of models/layers/rnn.h's LSTM and GRU (RNNOptions):
// bidirectional and proj_size against PyTorch 1.13 (values and gradients),
// parameter names, shapes, order and initialisation, the positional and
// options constructors, unbatched input, errors. Dropout between layers:
// test_rnn_dropout.cpp.
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
using xgrad::testing::check_same_arrays;
using xgrad::testing::check_values;
using xgrad::testing::message_is;
using xgrad::testing::param;
using xgrad::testing::same_bits;
using xgrad::testing::set_all;
using xgrad::testing::sv;

BOOST_AUTO_TEST_SUITE(models_layers_rnn_options_tests)

BOOST_AUTO_TEST_CASE(lstm_bidirectional_proj_size_matches_pytorch) {
  Generator gen(10);
  LSTM lstm(3, 4, gen, {.num_layers = 2, .bidirectional = true, .proj_size = 2, .dtype = kFloat64});
  set_all(lstm);  // weight_ih_l0 1, weight_hh_l0 2, bias_ih_l0 3, bias_hh_l0 4, weight_hr_l0 5,
                  // weight_ih_l0_reverse 6, ...
  Tensor x = sv({3, 2, 3}, 30, true), h0 = sv({4, 2, 2}, 31, true), c0 = sv({4, 2, 4}, 32, true);
  const LSTMOutput r = lstm.forward_with_state(x, {h0, c0});
  const Tensor out = r.output, h_n = r.state.h, c_n = r.state.c;
  BOOST_TEST(out.shape() == (Shape{3, 2, 4}));  // (T, N, 2 · proj_size)
  BOOST_TEST(h_n.shape() == (Shape{4, 2, 2}));
  BOOST_TEST(c_n.shape() == (Shape{4, 2, 4}));
  (sum(out * sv({3, 2, 4}, 33)) + sum(h_n * sv({4, 2, 2}, 34)) + sum(c_n * sv({4, 2, 4}, 35)))
      .backward();
  // Reference: torch::nn::LSTM(LSTMOptions(3, 4).num_layers(2).bidirectional(true)
  // .proj_size(2)) with parameters set in named_parameters() order (PyTorch 1.13.0, float64).
  check_values(
      out.value(),
      {-0.00894098284876, -0.0767729977758, -0.289636156734, -0.18214086946,   -0.0534271587899,
       -0.00112873592604, -0.338506585305,  -0.189107131533, -0.1177298023,    -0.181579240875,
       -0.215882312138,   -0.139710093909,  -0.147256380415, -0.163585204108,  -0.321021849427,
       -0.153258432749,   -0.18523863752,   -0.240388590467, -0.0759911546719, -0.0236796770165,
       -0.198006768263,   -0.245732934282,  -0.254962999146, -0.0854434406611},
      1e-11);
  check_values(h_n.value(),
               {-0.234647089518, -0.261253014825, -0.252090482937, -0.279747929383, -0.163878694229,
                -0.141041306319, -0.21099950031, -0.17126426281, -0.18523863752, -0.240388590467,
                -0.198006768263, -0.245732934282, -0.289636156734, -0.18214086946, -0.338506585305,
                -0.189107131533},
               1e-11);
  check_values(c_n.value(), {0.73762470197,   0.079175195807,   -0.171021685044, -0.744936433402,
                             0.487211342836,  0.306017157382,   -0.334143976034, -0.663972475997,
                             0.1710442722,    0.552024627964,   0.129192347,     -0.0736811836019,
                             -0.06548030455,  0.531726269518,   0.169987547523,  -0.344200532767,
                             -0.78043137691,  0.074387126122,   0.396986292093,  0.180435490513,
                             -0.757572807309, 0.00750568664612, 0.461702738558,  0.125326196981,
                             -0.375976787547, -0.779753113757,  0.124618837242,  0.437568623293,
                             -0.364738283192, -0.830101241888,  0.370750144917,  0.540177146373},
               1e-11);
  check_values(
      x.grad(),
      {-0.0190609996122, 0.0861292857395, 0.0651399657033, 0.0346776442494, 0.0232753017738,
       -0.0222254123287, -0.0649904357512, 0.136371924574, 0.137949095913, 0.0409068938223,
       0.00633723581506, -0.0375164875078, -0.0256820021993, 0.0957667588081, 0.076916993804,
       0.0482685441787, 0.0449904718466, -0.0241987471423},
      1e-11);
  check_values(h0.grad(),
               {-0.0102981765407, 0.0125136987125, -0.00793070203125, -0.000951956678204,
                0.0168435471945, -0.0396852460176, -0.0102387648113, -0.0233978323463,
                -0.0328517378082, -0.0190160193511, 0.0216524073012, 0.0434229563586,
                0.014751993412, 0.0189046981959, 0.0353636027655, -0.0236355243636},
               1e-11);
  check_values(
      c0.grad(),
      {-0.0262939107165,  -0.0134646399104,  -0.0116843847178, 0.0347691060678,  0.0477946851019,
       -0.0243711601572,  -0.00356945128808, 0.0228365217498,  0.139732204118,   0.0309670802876,
       -0.0107451868646,  -0.00198121882094, 0.0395593983184,  0.122342153289,   0.0190365261193,
       -0.0010858070493,  -0.010101721239,   0.0832777745683,  0.0716951838997,  -0.0231378455706,
       -0.00448545555557, -0.0765230939925,  0.0596040760857,  -0.0170862131996, 0.00371157578367,
       -0.0237349427484,  -0.0209414475825,  0.0634293189634,  -0.0058615428395, -0.0281394334073,
       -0.171320534336,   -0.0427431382168},
      1e-11);
  check_values(param(lstm, "weight_hr_l0").grad(),
               {-0.0328185577822, -0.0752811635307, 0.113995190755, -0.0346015659359,
                -0.0188545160002, 0.0120564388551, -0.00561184830248, 0.00667528721868},
               1e-11);
  check_values(param(lstm, "weight_hh_l0_reverse").grad(),
               {0.00389378889175,  -0.00658568746379, -0.0174407335347,  -0.00817152932397,
                0.0010230649438,   0.00375471217482,  -0.0156361781514,  -0.00984973996002,
                0.00816322302241,  0.00923881617388,  -0.0139175703181,  -0.0106999590235,
                0.00621819139432,  0.00829510181298,  -0.00665125104344, -0.00500868190493,
                -0.0902861418622,  -0.0859110306528,  -0.00438875666769, -0.000692636028466,
                0.0173070885465,   0.0255661717296,   0.0446820279253,   0.0431956734149,
                -0.00425024547271, -0.00120212017045, -0.00116177190573, 0.00282073180268,
                -0.00357412372933, -0.00119179993387, -0.00533840103985, -0.00306661873326},
               1e-11);
  check_values(param(lstm, "weight_ih_l1_reverse").grad(),
               {0.00587515291569,   0.0145577092656,    0.0126731503642,   0.00903343668927,
                -0.0398883313927,   -0.0485086644294,   -0.0303722729616,  -0.0280839122889,
                0.00993313856845,   0.0125084715545,    0.00460506962088,  0.00312596548534,
                -0.0253421843784,   -0.0256449420493,   -0.0163747879252,  -0.0205455309161,
                0.00406679997416,   0.00912196216192,   0.00800673427977,  0.00563500182291,
                -0.0232762520957,   -0.0303272925827,   -0.0231464063038,  -0.0188320508076,
                0.0229388443811,    0.0333478188633,    0.019187671908,    0.0139520160391,
                -0.0016119126389,   -0.000791751415657, -0.0019226049332,  -0.000647558129821,
                -0.0157385879057,   -0.0380375472004,   -0.0342665274871,  -0.02505329031,
                0.0746761829788,    0.0906362779662,    0.0565569476044,   0.0538036835535,
                0.164663628132,     0.232459627807,     0.139111048258,    0.110019844865,
                -0.0282771893941,   -0.0279691096815,   -0.0185037760835,  -0.0223336451206,
                8.87211666475e-05,  0.00236237216468,   0.00399502056289,  0.00307926181509,
                0.00498779331168,   0.00591815622595,   0.000395965016827, 0.000418568231032,
                -0.000569489102623, 0.00154045237256,   0.00418295867203,  0.00327929095838,
                0.00163952995442,   0.00384013074502,   0.00268475033256,  0.00094342886627},
               1e-11);
  check_values(param(lstm, "bias_hh_l1_reverse").grad(),
               {-0.0647625077465, 0.190865857978, -0.046863896002, 0.100244504894, -0.0402752286563,
                0.122467993374, -0.13272995027, 0.00277929644804, 0.171185998995, -0.357068359744,
                -0.929327766022, 0.108455259061, -0.0113778270585, -0.016534518571,
                -0.0100256791357, -0.0129868774446},
               1e-11);
  check_values(param(lstm, "weight_hr_l1_reverse").grad(),
               {-0.0657425712169, -0.095062551931, 0.0621865544442, 0.0952689543556,
                -0.0596442345102, 0.0120164351715, 0.00603162518076, -0.0484668389151},
               1e-11);
}

BOOST_AUTO_TEST_CASE(gru_bidirectional_batch_first_matches_pytorch) {
  Generator gen(11);
  GRU gru(3, 3, gen,
          {.num_layers = 2, .batch_first = true, .bidirectional = true, .dtype = kFloat64});
  set_all(gru);
  Tensor x = sv({2, 3, 3}, 30, true), h0 = sv({4, 2, 3}, 31, true);
  const GRUOutput r = gru.forward_with_state(x, h0);
  const Tensor out = r.output, h_n = r.h_n;
  BOOST_TEST(out.shape() == (Shape{2, 3, 6}));  // (N, T, 2H)
  BOOST_TEST(h_n.shape() == (Shape{4, 2, 3}));
  (sum(out * sv({2, 3, 6}, 33)) + sum(h_n * sv({4, 2, 3}, 34))).backward();
  // Reference: torch::nn::GRU(GRUOptions(3, 3).num_layers(2).batch_first(true)
  // .bidirectional(true)) (PyTorch 1.13.0, float64).
  check_values(out.value(), {0.38758902208,   0.145293630508,   -0.312594886035,  -0.498235769858,
                             -0.061211886868, 0.320237734175,   0.489563473877,   0.187457553886,
                             -0.412978542299, -0.459209189969,  -0.110930874765,  0.227285188311,
                             0.496379192237,  0.274901784803,   -0.383614165429,  -0.455269703801,
                             -0.252213036985, 0.231542335775,   0.296129486608,   0.435787761668,
                             -0.205048540835, -0.0973235625241, 0.111277211511,   0.226427716615,
                             0.446618983246,  0.343905660524,   -0.421250111197,  -0.00806588163596,
                             0.0807938167282, 0.251713731934,   0.450481871282,   0.476870586511,
                             -0.372127403363, 0.145362496222,   -0.0213996827616, 0.0283886528694},
               1e-11);
  check_values(h_n.value(), {-0.383813204765, 0.0382019998662,  0.502983189013,  -0.397276105841,
                             -0.220197903422, 0.331468021959,   0.188153666747,  -0.273974716702,
                             -0.429224896939, 0.434759009255,   -0.497888023411, -0.181290587448,
                             0.496379192237,  0.274901784803,   -0.383614165429, 0.450481871282,
                             0.476870586511,  -0.372127403363,  -0.498235769858, -0.061211886868,
                             0.320237734175,  -0.0973235625241, 0.111277211511,  0.226427716615},
               1e-11);
  check_values(
      x.grad(),
      {-0.019784526295, 0.127057686971, 0.0877600911601, -0.00063349779227, 0.0462555688249,
       0.0253801187483, -0.0467809618296, -0.00690357760815, 0.0430875639826, 0.0601507849256,
       -0.0616459296609, -0.0931312128731, -0.00132846047896, -0.119535876575, -0.0626229534461,
       0.0869703173405, -0.0397145633324, -0.108217515682},
      1e-11);
  check_values(h0.grad(), {-0.0285872641776, -0.336413166506,  -0.0230135688033, 0.0777757446467,
                           0.554567790027,   0.02428814487,    0.0516976762033,  0.194780148815,
                           -0.0472042008432, -0.0237875293248, -0.208875449934,  -0.202195638907,
                           0.242114956037,   0.0606373370907,  -0.196249765246,  0.0659790939497,
                           0.260511232677,   0.102243023693,   0.391686253891,   0.417502905683,
                           -0.104681047421,  -0.361712995858,  0.09154553329,    0.077997900455},
               1e-11);
  check_values(
      param(gru, "weight_ih_l0_reverse").grad(),
      {-0.0118172867365, -0.00560138159867,  0.00882056070385,  -0.00761498950147, 0.00603458727714,
       0.0108434795572,  -0.000817147599235, -0.00369389401212, -0.00115907704337, 0.0196249592316,
       0.0163904320415,  -0.0108561164881,   0.072477494645,    0.0159862679164,   -0.0639248787615,
       -0.0103855559253, -0.00267477949324,  0.00895455516278,  0.0623793763649,   0.0265789255619,
       -0.0481597134571, 0.130035029271,     0.0907218837815,   -0.0814990339863,  0.0279947126631,
       0.0131293141718,  -0.0209705603399},
      1e-11);
  check_values(param(gru, "weight_hh_l1_reverse").grad(),
               {0.0195156412892,    0.0110340807109,  -0.00593625164811, -0.00849984232932,
                -0.00454306144413,  0.00528399958687, 0.0108961853859,   0.00432758021607,
                0.0041241273628,    -0.0786502366583, -0.0134329564244,  0.0402651429248,
                0.0881340731526,    0.0493030672074,  -0.0424787096531,  -0.0222671370075,
                -0.000316310033097, 0.0164748187678,  -0.0724921433695,  -0.0406039381656,
                0.0174898650665,    -0.0479493948926, -0.0316223310463,  0.00846557634969,
                0.0522566929954,    0.0497990919894,  0.0116750795181},
               1e-11);
  check_values(
      param(gru, "bias_ih_l1").grad(),
      {-0.0117937014315, -0.00387334396003, 0.0148777680323, -0.0565891497743, 0.0656204870072,
       -0.0142536116464, 0.0450767291548, -0.60536105891, -0.398381149094},
      1e-11);
}

BOOST_AUTO_TEST_CASE(lstm_proj_size_without_bias_matches_pytorch) {
  Generator gen(12);
  LSTM lstm(
      3, 3, gen,
      {.num_layers = 2, .bias = false, .batch_first = true, .proj_size = 1, .dtype = kFloat64});
  set_all(lstm);  // weight_ih_l0, weight_hh_l0, weight_hr_l0, weight_ih_l1, ...
  Tensor x = sv({2, 4, 3}, 30, true), h0 = sv({2, 2, 1}, 31, true), c0 = sv({2, 2, 3}, 32, true);
  const LSTMOutput r = lstm.forward_with_state(x, {h0, c0});
  const Tensor out = r.output, h_n = r.state.h, c_n = r.state.c;
  (sum(out * sv({2, 4, 1}, 33)) + sum(h_n * sv({2, 2, 1}, 34)) + sum(c_n * sv({2, 2, 3}, 35)))
      .backward();
  // Reference: torch::nn::LSTM(LSTMOptions(3, 3).num_layers(2).bias(false)
  // .batch_first(true).proj_size(1)) (PyTorch 1.13.0, float64).
  check_values(out.value(),
               {-0.0455463122709, -0.0309129402534, -0.017896118521, -0.00976090664736,
                0.0747885669775, 0.0422281097508, 0.0234415069017, 0.012496455633},
               1e-11);
  check_values(h_n.value(), {0.00397198590912, -0.0082715200554, -0.00976090664736, 0.012496455633},
               1e-11);
  check_values(c_n.value(),
               {0.0731120811538, 0.081599935378, -0.125908894866, -0.111764026105, -0.077586239974,
                0.137442771768, 0.0302106584841, -0.00800873211089, -0.032425367106,
                -0.0047743625862, 0.0361820890119, 0.0243927216969},
               1e-11);
  check_values(
      x.grad(),
      {-0.000203682594842, 0.0274148083764,   0.0148705408501,   0.00846198195741, 0.0245970793414,
       0.00469739786542,   -0.00197947209167, 0.0697603443399,   0.0393010928824,  0.02266296047,
       0.108468126865,     0.0353672332888,   -0.0107087520255,  -0.0119165267724, 0.00433343811969,
       -0.0102137170123,   -0.0337543544705,  -0.00784478355138, -0.0645244652164, -0.0487250633846,
       0.0384566704563,    -0.124326326343,   -0.0616580897097,  0.0913393927982},
      1e-11);
  check_values(h0.grad(), {0.0289731527839, -0.0248412317229, 0.0276600975294, 0.00543326160713},
               1e-11);
  check_values(c0.grad(),
               {-0.00820254902993, -0.0616401561786, -0.017926714291, 0.02575481829, 0.04110316022,
                -0.00380680156311, -0.0385376383387, 0.0304692577252, 0.0552205421111,
                0.000331423553067, 0.0146953159636, 0.00723300975014},
               1e-11);
  check_values(param(lstm, "weight_hr_l0").grad(),
               {0.0954338385678, 0.0728065338517, -0.0738691689084}, 1e-11);
  check_values(param(lstm, "weight_hh_l1").grad(),
               {-0.000369379987385, 0.00127015182739, 0.000680757037271, -0.00280296888468,
                -0.00193431126641, -0.00659374999945, 0.00131524076256, 0.00299386198775,
                0.0068107257843, -0.00177421789211, 0.000389348369087, -0.00402493305051},
               1e-11);
  check_values(param(lstm, "weight_hr_l1").grad(),
               {0.0184053477203, 0.0458015962114, 0.00444931323623}, 1e-11);
}

BOOST_AUTO_TEST_CASE(options_parameter_names_shapes_order_and_init) {
  Generator gen(13);
  LSTM lstm(7, 20, gen, {.num_layers = 2, .dropout = 0.5, .bidirectional = true, .proj_size = 5});
  // PyTorch's named_parameters() of the same LSTM: per layer, the forward
  // direction's five, then the reverse direction's; layer 1 takes 2 · proj_size.
  std::vector<std::pair<std::string, Shape>> want;
  for (const std::string l : {"_l0", "_l1"}) {
    for (const std::string d : {"", "_reverse"}) {
      want.push_back({"weight_ih" + l + d, {80, l == "_l0" ? 7u : 10u}});
      want.push_back({"weight_hh" + l + d, {80, 5}});
      want.push_back({"bias_ih" + l + d, {80}});
      want.push_back({"bias_hh" + l + d, {80}});
      want.push_back({"weight_hr" + l + d, {5, 20}});
    }
  }
  const auto params = lstm.parameters();
  BOOST_TEST_REQUIRE(params.size() == want.size());
  // Drawn in this order from the constructor's generator, U(-1/√H, 1/√H).
  Generator ref(13);
  const double bound = 1 / std::sqrt(20.0);
  for (std::size_t i = 0; i < want.size(); ++i) {
    BOOST_TEST(params[i].name == want[i].first);
    BOOST_TEST(params[i].tensor.shape() == want[i].second);
    const bool bias = want[i].first.rfind("bias", 0) == 0;
    BOOST_TEST((params[i].role == (bias ? ParamRole::kBias : ParamRole::kWeight)));
    BOOST_TEST(same_bits(params[i].tensor.value(), ref.uniform(want[i].second, -bound, bound)),
               want[i].first);
  }
  BOOST_TEST(lstm.name() ==
             "LSTM(7, 20, proj_size=5, num_layers=2, dropout=0.5, bidirectional=true)");
  BOOST_TEST(lstm.num_layers() == 2u);
  BOOST_TEST(lstm.proj_size() == 5u);
  BOOST_TEST(lstm.bidirectional());
  BOOST_TEST(lstm.dropout() == 0.5);
  // The dropout generator's state is the one buffer.
  const NamedArrays state = lstm.state_dict();
  BOOST_TEST_REQUIRE(state.size() == want.size() + 1);
  BOOST_TEST(state.back().first == "dropout.rng_state");
  BOOST_TEST(lstm.describe().find("(dropout) Dropout(p=0.5)") != std::string::npos);

  GRU gru(4, 5, gen, {.bias = false, .batch_first = true, .bidirectional = true});
  const auto gp = gru.parameters();
  BOOST_TEST_REQUIRE(gp.size() == 4u);
  BOOST_TEST(gp[0].name == "weight_ih_l0");
  BOOST_TEST(gp[1].name == "weight_hh_l0");
  BOOST_TEST(gp[2].name == "weight_ih_l0_reverse");
  BOOST_TEST(gp[3].name == "weight_hh_l0_reverse");
  BOOST_TEST(gp[2].tensor.shape() == (Shape{15, 4}));
  BOOST_TEST(gp[3].tensor.shape() == (Shape{15, 5}));
  BOOST_TEST(gru.name() == "GRU(4, 5, bias=false, batch_first=true, bidirectional=true)");
  BOOST_TEST(gru.state_dict().size() == 4u);  // no dropout, no buffer
  GRU deep(4, 5, gen, {.num_layers = 3, .bidirectional = true});
  BOOST_TEST(param(deep, "weight_ih_l2_reverse").shape() == (Shape{15, 10}));
}

BOOST_AUTO_TEST_CASE(positional_and_options_constructors_agree) {
  Generator ga(14), gb(14);
  LSTM a(3, 4, ga, 2, false, true, kFloat64);
  LSTM b(3, 4, gb, {.num_layers = 2, .bias = false, .batch_first = true, .dtype = kFloat64});
  BOOST_TEST(a.name() == b.name());
  check_same_arrays(a.state_dict(), b.state_dict());
  BOOST_TEST(ga.offset() == gb.offset());
  // {} is the options (defaults), not num_layers 0; an integer is num_layers.
  Generator gd(14);
  BOOST_TEST(LSTM(3, 4, gd, {}).name() == "LSTM(3, 4)");
  BOOST_TEST(GRU(3, 4, gd, {}).num_layers() == 1u);
  BOOST_TEST(GRU(3, 4, gd, 3).num_layers() == 3u);
  BOOST_TEST(LSTM(3, 4, gd, std::size_t(2), false).name() ==
             "LSTM(3, 4, num_layers=2, bias=false)");
  // dropout > 0 draws its seed after every parameter: the parameters stay.
  Generator gc(14);
  LSTM c(3, 4, gc,
         {.num_layers = 2, .bias = false, .batch_first = true, .dropout = 0.2, .dtype = kFloat64});
  for (const Parameter& p : a.parameters()) {
    BOOST_TEST(same_bits(p.tensor.value(), param(c, p.name).value()), p.name);
  }
}

BOOST_AUTO_TEST_CASE(bidirectional_unbatched_is_batch_element_zero) {
  Generator gen(22);
  LSTM lstm(3, 4, gen, {.num_layers = 2, .bidirectional = true, .proj_size = 3, .dtype = kFloat64});
  const Tensor x0 = sv({5, 3}, 1);
  Array xb = Array::zeros({5, 1, 3}, kFloat64);
  for (std::size_t i = 0; i < 15; ++i) xb.set(i, x0.value().at(i));
  const LSTMOutput u = lstm.forward_with_state(x0);
  const LSTMOutput b = lstm.forward_with_state(Tensor(xb));
  BOOST_TEST(u.output.shape() == (Shape{5, 6}));
  BOOST_TEST(u.state.h.shape() == (Shape{4, 3}));
  BOOST_TEST(u.state.c.shape() == (Shape{4, 4}));
  auto flat = [](const Array& a) {
    return std::vector<double>(a.get<double>().begin(), a.get<double>().end());
  };
  check_values(u.output.value(), flat(b.output.value()), 0);
  check_values(u.state.h.value(), flat(b.state.h.value()), 0);
  check_values(u.state.c.value(), flat(b.state.c.value()), 0);
  // The reverse direction's final h is its output at t = 0, the forward one's at t = T - 1.
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(u.state.h.value().at(2 * 3 + i) == u.output.value().at(4 * 6 + i));
    BOOST_TEST(u.state.h.value().at(3 * 3 + i) == u.output.value().at(3 + i));
  }
}

BOOST_AUTO_TEST_CASE(option_errors_name_the_layer) {
  Generator gen(23);
  BOOST_CHECK_EXCEPTION(
      LSTM(3, 4, gen, {.proj_size = 4}), ValueError,
      message_is("LSTM: proj_size must be smaller than hidden_size, got proj_size=4, "
                 "hidden_size=4"));
  BOOST_CHECK_EXCEPTION(GRU(3, 4, gen, {.proj_size = 2}), ValueError,
                        message_is("GRU: proj_size is only offered by LSTM, got proj_size=2"));
  BOOST_CHECK_EXCEPTION(LSTM(3, 4, gen, {.num_layers = 2, .dropout = 1.0}), ValueError,
                        message_is("LSTM: dropout must be in [0, 1), got 1"));
  BOOST_CHECK_EXCEPTION(GRU(3, 4, gen, {.dropout = -0.1}), ValueError,
                        message_is("GRU: dropout must be in [0, 1), got -0.1"));
  BOOST_CHECK_EXCEPTION(LSTM(3, 4, gen, {.dropout = std::nan("")}), ValueError,
                        message_is("LSTM: dropout must be in [0, 1), got nan"));
  BOOST_CHECK_EXCEPTION(LSTM(3, 4, gen, {.num_layers = 0}), ValueError,
                        message_is("LSTM: num_layers must be positive, got 0"));
  BOOST_CHECK_EXCEPTION(GRU(3, 4, gen, -1), ValueError,
                        message_is("GRU: num_layers must be positive, got -1"));

  const Tensor x(Array::zeros({5, 2, 3}, kFloat32));
  auto zeros = [](const Shape& s) { return Tensor(Array::zeros(s, kFloat32)); };
  LSTM bi(3, 4, gen, {.bidirectional = true});
  BOOST_CHECK_EXCEPTION(
      bi(x, zeros({1, 2, 4}), zeros({2, 2, 4})), ShapeError,
      message_is("LSTM(3, 4, bidirectional=true): h0 must be (2 * num_layers, N, hidden_size) "
                 "for this input: h0 (1, 2, 4), expected (2, 2, 4)"));
  LSTM proj(3, 4, gen, {.num_layers = 2, .bidirectional = true, .proj_size = 2});
  BOOST_CHECK_EXCEPTION(
      proj(x, zeros({4, 2, 4}), zeros({4, 2, 4})), ShapeError,
      message_is("LSTM(3, 4, proj_size=2, num_layers=2, bidirectional=true): h0 must be (2 * "
                 "num_layers, N, proj_size) for this input: h0 (4, 2, 4), expected (4, 2, 2)"));
  BOOST_CHECK_EXCEPTION(
      proj(x, zeros({4, 2, 2}), zeros({4, 2, 2})), ShapeError,
      message_is("LSTM(3, 4, proj_size=2, num_layers=2, bidirectional=true): c0 must be (2 * "
                 "num_layers, N, hidden_size) for this input: c0 (4, 2, 2), expected (4, 2, 4)"));
  BOOST_TEST(proj(x, zeros({4, 2, 2}), zeros({4, 2, 4})).shape() == (Shape{5, 2, 4}));
  GRU gbi(3, 4, gen, {.bidirectional = true});
  BOOST_CHECK_EXCEPTION(
      gbi(zeros({5, 3}), zeros({1, 4})), ShapeError,
      message_is("GRU(3, 4, bidirectional=true): h0 must be (2 * num_layers, N, hidden_size) for "
                 "this input: h0 (1, 4), expected (2, 4)"));
}

BOOST_AUTO_TEST_SUITE_END()
