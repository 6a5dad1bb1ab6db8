#include "framework/anomaly.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>


namespace xgrad {

namespace {

bool anomaly_from_environment() {
  const char* v = std::getenv("XGRAD_DETECT_ANOMALY");
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

thread_local bool t_anomaly = anomaly_from_environment();

// Index of the first non-finite element, or size() if all are finite.
std::size_t first_non_finite(const Array& a) {
  if (!a.defined() || !is_floating(a.dtype())) return a.size();
  return dispatch(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = a.data<T>();
    for (std::size_t i = 0, n = a.size(); i < n; ++i) {
      if (!std::isfinite(p[i])) return i;
    }
    return a.size();
  });
}

std::string demangle(const char* name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name, nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && out ? std::string(out.get()) : std::string(name);
}

// "function (file:line)" for one return address: addr2line (binutils) for
// the line, dladdr for the name when addr2line is not there.
std::string describe_frame(void* addr) {
  Dl_info info{};
  if (dladdr(addr, &info) == 0 || info.dli_fname == nullptr) return "??";
  // Return addresses point after the call: look up the call instruction.
  const auto offset = reinterpret_cast<std::uintptr_t>(addr) -
                      reinterpret_cast<std::uintptr_t>(info.dli_fbase) - 1;
  std::string name = info.dli_sname ? demangle(info.dli_sname) : "??";
  std::string where;
  char cmd[4096];
  std::snprintf(cmd, sizeof cmd, "addr2line -C -f -e '%s' 0x%zx 2>/dev/null", info.dli_fname,
                std::size_t(offset));
  if (FILE* p = popen(cmd, "r")) {
    char fn[2048] = {0}, loc[2048] = {0};
    if (std::fgets(fn, sizeof fn, p) && std::fgets(loc, sizeof loc, p)) {
      fn[std::strcspn(fn, "\n")] = 0;
      loc[std::strcspn(loc, "\n")] = 0;
      if (std::strcmp(fn, "??") != 0) name = fn;
      if (std::strncmp(loc, "??", 2) != 0) where = loc;
    }
    pclose(p);
  }
  return where.empty() ? name : name + " (" + where + ")";
}

// xgrad's own frames and the standard library's are not where the user
// recorded the op.
bool is_internal(const std::string& frame) {
  for (const char* prefix : {"xgrad::", "std::", "void std::", "??", "_start", "__libc"}) {
    if (frame.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

void throw_non_finite(const std::string& what, const Node& node, const Array& a, std::size_t at) {
  std::ostringstream os;
  const double v = a.at(at);
  os << "anomaly: " << what << " of '" << node.op << "' holds "
     << (std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf") << " at flat index " << at << " (shape "
     << format_shape(a.shape()) << ")";
  const std::string where = detail::recorded_at(node);
  if (!where.empty()) os << "; " << where;
  throw NumericError(os.str());
}

}  // namespace

bool is_anomaly_enabled() { return t_anomaly; }

AnomalyMode::AnomalyMode(bool enabled) : previous_(t_anomaly) { t_anomaly = enabled; }

AnomalyMode::~AnomalyMode() { t_anomaly = previous_; }

namespace detail {

void on_record_anomaly(Node& node) {
  void* frames[32];
  const int n = backtrace(frames, 32);
  node.extra().trace.assign(frames, frames + n);
  const std::size_t bad = first_non_finite(node.value);
  if (bad < node.value.size()) throw_non_finite("the output", node, node.value, bad);
}

void check_backward_finite(const Node& node, const Grads& grads) {
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined()) continue;
    const std::size_t bad = first_non_finite(grads[i].value());
    if (bad < grads[i].size()) {
      throw_non_finite("backward: the gradient for input " + std::to_string(i), node,
                       grads[i].value(), bad);
    }
  }
}

std::string recorded_at(const Node& node) {
  if (!node.extras || node.extras->trace.empty()) return "";
  std::string out;
  int shown = 0;
  for (void* addr : node.extras->trace) {
    const std::string frame = describe_frame(addr);
    if (is_internal(frame)) continue;
    out += out.empty() ? "recorded at: " : " <- ";
    out += frame;
    if (++shown == 3) break;
  }
  return out;
}

}  // namespace detail
}  // namespace xgrad
