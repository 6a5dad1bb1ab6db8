// xgrad-lecture's looks inside: --dot, --trace and --init.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ostream>

#include "framework/graph_dot.h"
#include "framework/io/atomic_file.h"
#include "models/lecture/lecture_graph.h"
#include "models/lecture/reference_bridge.h"
#include "models/optim/sgd.h"
#include "models/train/diagnostics.h"
#include "tools/lecture/walkthrough.h"

namespace xgrad::lecture {

namespace {

constexpr std::size_t kPerLine = 8;

std::string cell(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(v) < 999.5 || std::isnan(v) ? "%9.4f" : "%9.1e", v);
  return buf;
}

// A gradient or matrix, one row per line (8 numbers a line), after a label.
void print_array(std::ostream& os, const std::string& label, const Array& a) {
  char head[48];
  std::snprintf(head, sizeof head, "    %-18s", label.c_str());
  if (!a.defined()) {
    os << head << " (none)\n";
    return;
  }
  const std::size_t rows = a.dim() == 2 ? a.shape()[0] : 1,
                    cols = a.size() / std::max<std::size_t>(rows, 1);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      if (j % kPerLine == 0)
        os << (j ? "\n" : "") << (i == 0 && j == 0 ? head : "                      ");
      os << cell(a.at(i * cols + j));
    }
    os << "\n";
  }
}

std::string sizes_text(const std::vector<std::size_t>& sizes) {
  std::string out;
  for (std::size_t i = 0; i < sizes.size(); ++i) out += (i ? "-" : "") + std::to_string(sizes[i]);
  return out;
}

}  // namespace

std::string write_dot(const WalkthroughOptions& options, const std::string& path, bool render) {
  Example e = make_example(options);
  LectureActivations act = e.net->forward_layers(e.X);
  for (std::size_t l = 2; l <= e.net->layers(); ++l) act.z[l].retain_grad();
  Tensor J = lecture_cost(act, e.Y);
  J.backward(/*retain_graph=*/true);  // keep the graph to draw it with its gradients
  DotOptions o;
  o.names = lecture_names(*e.net, act, J);
  o.title = "The lecture's network " + sizes_text(options.sizes) + ", " +
            std::to_string(options.examples) + " examples: J = CE/n, grad = dJ/d(node)";
  write_file_atomically(path, to_dot(J, o));
  if (!render) return "";
  const std::size_t dot = path.size() >= 4 && path.compare(path.size() - 4, 4, ".dot") == 0;
  const std::string svg = (dot ? path.substr(0, path.size() - 4) : path) + ".svg";
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    throw FileError("--render needs Graphviz's dot (Debian: apt install graphviz); " + path +
                    " was written");
  }
  const std::string cmd = "dot -Tsvg '" + path + "' -o '" + svg + "'";
  if (path.find('\'') != std::string::npos || std::system(cmd.c_str()) != 0) {
    throw FileError("dot -Tsvg could not render " + path + " to " + svg);
  }
  return svg;
}

bool print_trace(std::ostream& os, const WalkthroughOptions& options) {
  Example e = make_example(options);
  const std::vector<LectureTraceStep> steps = trace_backward(*e.net, e.X, e.Y);
  os << "xgrad-lecture --trace: backward on the lecture's network " << sizes_text(options.sizes)
     << ", " << options.examples << " examples, seed " << options.seed << "\n"
     << "J = CE/n; each op as the engine visits it (newest first): the gradient coming in,\n"
     << "dJ/d(output), and the ones going out, dJ/d(input) (rows: examples, or units of\n"
     << "Theta). Where an op makes the slide's delta(l) = n dJ/dz(l) or Delta(l) = n "
        "dJ/dTheta(l),\n"
     << "the slide's numbers follow (models/lecture/reference.h, no autodiff).\n";
  double worst = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const LectureTraceStep& s = steps[k];
    std::string inputs;
    for (const std::string& in : s.inputs) inputs += (inputs.empty() ? "" : ", ") + in;
    os << "\n[" << k + 1 << "] " << s.op << "(" << inputs << ")"
       << (s.output.empty() ? "" : " -> " + s.output) << "\n";
    print_array(os, "in  dJ/d" + (s.output.empty() ? std::string("out") : s.output), s.grad_out);
    for (std::size_t i = 0; i < s.grad_inputs.size(); ++i) {
      if (s.grad_inputs[i].defined()) print_array(os, "out dJ/d" + s.inputs[i], s.grad_inputs[i]);
    }
    if (s.lecture.empty()) continue;
    char diff[64];
    std::snprintf(diff, sizeof diff, "%.1e", s.max_abs_diff);
    os << "    slide: " << s.equation << " (n times the out gradient)\n";
    print_array(os, s.lecture, lecture_ref::to_array(s.slide));
    os << "    largest |slide - n dJ/d...|: " << diff << "\n";
    worst = std::max(worst, s.max_abs_diff);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0e", kTolerance);
  const bool pass = worst < kTolerance;
  os << "\nevery delta and Delta within " << buf << " of the slide: " << (pass ? "yes" : "NO")
     << "\n";
  return pass;
}

bool run_training(std::ostream& os, const WalkthroughOptions& options, std::size_t steps,
                  double alpha) {
  Example e = make_example(options);
  LectureNetwork& net = *e.net;
  Sgd opt(net.parameters(), {alpha});
  Diagnostics diag(net.parameters());
  os << "xgrad-lecture --init " << (options.zero_init ? "zero" : "normal")
     << ": full-batch gradient descent (alpha " << alpha << ") on the network "
     << sizes_text(options.sizes) << ", " << options.examples << " examples, seed " << options.seed
     << "\nTheta(l) "
     << (options.zero_init ? "= 0"
                           : "~ N(0, " + std::to_string(options.init_std).substr(0, 4) + "^2)")
     << "; diagnostics ('!' = the lecture's warning applies):\n";
  bool copies = false;
  std::size_t next = 1;
  for (std::size_t step = 1; step <= steps; ++step) {
    opt.zero_grad();
    Tensor J = lecture_cost(net.forward_layers(e.X), e.Y);
    diag.after_forward(J);
    J.backward();
    diag.before_step(opt);
    opt.step();
    diag.after_step(opt);
    if (step == next || step == steps) {
      const std::vector<DiagnosticLine> lines = diag.report();
      char head[96];
      std::snprintf(head, sizeof head, "\nafter step %zu: J = %.6f\n", step, J.item());
      os << head << Diagnostics::format(lines);
      copies = false;
      for (const DiagnosticLine& d : lines) {
        copies = copies || (d.check == "symmetry" && d.where == "theta1" && d.warning);
      }
      if (step == next) next *= 10;
    }
  }
  os << "\nhidden units of layer 2 "
     << (copies ? "are still copies of one another (L11)" : "are different features") << "\n";
  return copies;
}

}  // namespace xgrad::lecture
