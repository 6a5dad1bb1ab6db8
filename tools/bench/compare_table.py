#!/usr/bin/env python3
"""Turns a tools/bench/compare log into the table of goals (issue 16).

    compare_table.py LOG          the goal table
    compare_table.py --all LOG    every measured case (median over rounds, range)

The log holds '# key: value' header lines, '### <W> round <r> <source>: <cmd>'
before each program's output, '# run: <W> <r> <source> <secs>s others <cores>'
after it (cores other processes kept busy meanwhile), and the programs' RESULT lines:
RESULT|W|case|framework|metric|median|min|max|samples x calls|cpu/wall|peakRSS MiB|note
"""
import re
import statistics
import sys

# Goals against the machine: xgrad's figure beside its limit on the same machine, measured
# in the same run (xgrad-bench prints "limit <metric>" lines from W0's FMA peak).
# (row, workload, case, metric, source, goal operator, goal)
# ratio = value / limit: a fraction of the peak for GFLOP/s (>=), a multiple of the
# compute limit for times (<=).
CONV_A = "conv a 1x28x28->6 k5 b64"
CONV_B = "conv b 6x12x12->16 k5 b64"
MLP = "MLP 784-256-10 b64 step"
XOR = "MLP 3-3-1 b4 step"
LENET = "LeNet FMNIST 1 epoch b64"
MLP_EPOCH = "MLP 784-256-10 FMNIST 1 epoch b64"
CNN = "CNN 32-64 FMNIST 1 epoch b64 adam"
SKINNY = ["sgemm 64x256x784 NT (linear fwd)", "sgemm 256x784x64 TN (linear dW)",
          "sgemm 64x784x256 NN (linear dx)"]
LIMIT_GOALS = [
    ("W1 sgemm n=1024 / peak", "W1", "sgemm n=1024", "GFLOP/s", "xgrad", ">=", 0.85),
    ("W1 n=1024, OPENBLAS_CORETYPE=SkylakeX", "W1", "sgemm n=1024", "GFLOP/s", "xgrad-ct-set",
     ">=", 0.85),
    ("W1 n=1024, OPENBLAS_CORETYPE empty", "W1", "sgemm n=1024", "GFLOP/s", "xgrad-ct-empty",
     ">=", 0.85),
] + [("W1 %s / peak" % c.replace("sgemm ", ""), "W1", c, "GFLOP/s", "xgrad", ">=", 0.6)
     for c in SKINNY] + [
    ("W2 MLP 784-256-10 step / limit", "W2", MLP, "us/call", "xgrad", "<=", 2),
    ("W4 LeNet epoch / limit", "W4", LENET, "s/epoch", "xgrad", "<=", 2),
    ("W6 CNN epoch / limit", "W6", CNN, "s/epoch", "xgrad", "<=", 1.6),
]
# Goals against a peer, measured alternately in the same run.
# (row, workload, case, metric, peer source, peer framework, goal operator, goal ratio)
# ratio = peer time / xgrad time, or xgrad rate / peer rate: > 1 means xgrad is faster.
GOALS = [
    ("W2 MLP 3-3-1 b4 step", "W2", XOR, "us/call", "libtorch", "libtorch", ">=", 10),
    ("W2 MLP 3-3-1 b4 step", "W2", XOR, "us/call", "tiny-dnn", "tiny-dnn/tbb", ">=", 1.5),
    ("W3 conv (b) fwd+bwd", "W3", CONV_B + " fwd+bwd", "us/call", "libtorch", "libtorch", ">=",
     1.5),
    ("W3 conv (b) fwd", "W3", CONV_B + " fwd", "us/call", "libtorch", "libtorch", ">=", 1.0),
    ("W6 CNN 32-64 FMNIST epoch", "W6", CNN, "s/epoch", "libtorch", "libtorch", ">=", 2),
]
# Shown under the goals, without a goal of their own.
INFO = [
    ("W1 sgemm n=1024 (info: OpenBLAS in xgrad's process)", "W1", "sgemm n=1024", "GFLOP/s",
     "xgrad", "openblas"),
    ("W2 MLP 784-256-10 b64 step", "W2", MLP, "us/call", "libtorch", "libtorch"),
    ("W3 conv (a) fwd+bwd", "W3", CONV_A + " fwd+bwd", "us/call", "libtorch", "libtorch"),
    ("W3 conv (a) fwd", "W3", CONV_A + " fwd", "us/call", "libtorch", "libtorch"),
    ("W4 LeNet FMNIST epoch", "W4", LENET, "s/epoch", "libtorch", "libtorch"),
    ("W5 MLP FMNIST epoch", "W5", MLP_EPOCH, "s/epoch", "libtorch", "libtorch"),
]
RSS_LIMIT_MIB = 300
QUIET_CORES = 0.25  # other processes' CPU use above which a run counts as disturbed
SCALING_GOAL = 1.8
STEADY_MIN = 0.85  # tools/bench/compare repeats a run whose host slowed more than this
UNITS = {"us/call": "us", "s/epoch": "s", "GFLOP/s": "GFLOP/s", "test acc": ""}


def parse(path):
    header, results, unknown, failed = {}, {}, set(), set()
    others = {}  # (workload, source) -> cores other processes used, per run
    steady = []  # per run under --wait-quiet: FMA peak after/before, the smaller over the larger
    source = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"# ([a-z -]+): (.*)$", line)
            if m:
                r = re.match(r"(W\d) \d+ (\S+) ([\d.]+)s others ([\d.]+)", m.group(2))
                if m.group(1) == "xgrad-unknown":
                    unknown.add(m.group(2))
                elif m.group(1) == "run" and r:
                    if float(r.group(3)) >= 1:  # clock ticks are 10 ms: too coarse below 1 s
                        others.setdefault((r.group(1), r.group(2)), []).append(float(r.group(4)))
                    p = re.search(r"peak-before/after ([\d.]+)/([\d.]+)", m.group(2))
                    if p and max(float(p.group(1)), float(p.group(2))) > 0:
                        a, b = float(p.group(1)), float(p.group(2))
                        steady.append(min(a, b) / max(a, b))
                else:
                    header[m.group(1)] = m.group(2)
                continue
            if line.startswith("###"):
                # A run's output follows its header; anything else (config, a
                # run discarded because other processes disturbed it) is skipped.
                m = re.match(r"### (W\d) round (\d+) (\S+?):( exited with status (\d+))?", line)
                source = m.group(3) if m else None
                if m and m.group(4):
                    failed.add((m.group(1), source))
                continue
            if line.startswith("RESULT|") and source:
                p = line.split("|")
                if len(p) < 12:
                    continue
                key = (source, p[1], p[2], p[3], p[4])
                try:
                    util = float(p[9]) if p[9] != "-" else None
                    best = float(p[7]) if p[4] == "GFLOP/s" else float(p[6])  # fastest sample
                    results.setdefault(key, []).append((float(p[5]), float(p[10]), util, best))
                except ValueError:
                    pass
    header["others"] = others
    header["steady"] = steady
    return header, results, unknown, failed


def fmt(x):
    if x is None:
        return "-"
    ax = abs(x)
    if ax >= 1000:
        return "%.0f" % x
    if ax >= 100:
        return "%.1f" % x
    if ax >= 1:
        return "%.2f" % x
    return "%.4f" % x


class Table:
    def __init__(self, header, results, unknown, failed):
        self.header, self.results = header, results
        self.unknown, self.failed = unknown, failed
        self.rows = []

    def median(self, source, w, case, fw, metric):
        v = self.results.get((source, w, case, fw, metric))
        return statistics.median(r[0] for r in v) if v else None

    def best(self, source, w, case, fw, metric):
        v = self.results.get((source, w, case, fw, metric))
        if not v:
            return None
        return max(r[3] for r in v) if metric == "GFLOP/s" else min(r[3] for r in v)

    def peak_rss(self, source, w, case, fw, metric):
        v = self.results.get((source, w, case, fw, metric))
        return max(r[1] for r in v) if v else None

    def missing(self, source, w):
        """Why a value is absent: the program is not installed, does not know
        the workload yet, failed, or was not run."""
        if source.startswith("xgrad") and w in self.unknown:
            return "n/a (not in xgrad-bench)"
        if (w, source) in self.failed:
            return "failed (see log)"
        peers = self.header.get("peers", "")
        if ("%s=0" % source) in peers:
            return "not installed"
        return "n/a (no result)"

    def add(self, row, xgrad, peer, peer_value, ratio, goal, status, best="-"):
        self.rows.append((row, xgrad, peer, peer_value, ratio, best, goal, status))

    def compare(self, row, w, case, metric, source, fw, op, goal):
        x = self.median("xgrad", w, case, "xgrad", metric)
        p = self.median(source, w, case, fw, metric)
        unit = UNITS.get(metric, metric)
        xs = fmt(x) + " " + unit if x is not None else self.missing("xgrad", w)
        ps = fmt(p) + " " + unit if p is not None else self.missing(source, w)
        goal_s = "%s %g" % (op, goal) if op else "-"
        if x is None or p is None or x <= 0 or p <= 0:
            self.add(row, xs, fw, ps, "-", goal_s, "n/a" if op else "")
            return
        ratio = x / p if metric == "GFLOP/s" else p / x
        xb = self.best("xgrad", w, case, "xgrad", metric)
        pb = self.best(source, w, case, fw, metric)
        best = "%.2f" % (xb / pb if metric == "GFLOP/s" else pb / xb) if xb and pb else "-"
        status = ""
        if op:
            met = ratio >= goal if op == ">=" else ratio > goal
            status = "met" if met else "MISSED"
        self.add(row, xs, fw, ps, "%.2f" % ratio, goal_s, status, best)

    def limit_compare(self, row, w, case, metric, source, op, goal):
        """xgrad's figure beside its limit on the machine of the same run."""
        lmetric = "limit " + {"us/call": "us", "s/epoch": "s"}.get(metric, metric)
        x = self.median(source, w, case, "xgrad", metric)
        lim = self.median(source, w, case, "xgrad", lmetric)
        unit = UNITS.get(metric, metric)
        xs = fmt(x) + " " + unit if x is not None else self.missing(source, w)
        ls = fmt(lim) + " " + unit if lim is not None else "n/a (no limit line)"
        goal_s = "%s %g" % (op, goal)
        if x is None or lim is None or x <= 0 or lim <= 0:
            self.add(row, xs, "limit", ls, "-", goal_s, "n/a")
            return
        ratio = x / lim
        xb = self.best(source, w, case, "xgrad", metric)
        met = ratio >= goal if op == ">=" else ratio <= goal
        self.add(row, xs, "limit", ls, "%.2f" % ratio, goal_s, "met" if met else "MISSED",
                 "%.2f" % (xb / lim) if xb else "-")

    def build(self):
        ran = self.header.get("workloads", "W1 W2 W3 W4 W5 W6").split()
        for g in LIMIT_GOALS:
            if g[1] in ran and (g[4] == "xgrad" or self.results_from(g[4])):
                self.limit_compare(*g)
        for g in GOALS:
            if g[1] in ran:
                self.compare(*g)
        if "W4" in ran:
            self.w4_extras()
        for w, case in (("W4", LENET), ("W6", CNN)):
            if w in ran:
                self.scaling(w, case)
        for row, w, case, metric, source, fw in INFO:
            if w in ran:
                self.compare(row, w, case, metric, source, fw, None, None)

    def results_from(self, source):
        return any(k[0] == source for k in self.results)

    def w4_extras(self):
        # Accuracy not below libtorch's, and peak RSS.
        x = self.median("xgrad", "W4", LENET, "xgrad", "test acc")
        p = self.median("libtorch", "W4", LENET, "libtorch", "test acc")
        xs = "%.4f" % x if x is not None else self.missing("xgrad", "W4")
        ps = "%.4f" % p if p is not None else self.missing("libtorch", "W4")
        if x is None or p is None:
            self.add("W4 test accuracy", xs, "libtorch", ps, "-", "diff >= 0", "n/a")
        else:
            self.add("W4 test accuracy", xs, "libtorch", ps, "diff %+.4f" % (x - p), "diff >= 0",
                     "met" if x >= p else "MISSED")
        rss = self.peak_rss("xgrad", "W4", LENET, "xgrad", "s/epoch")
        goal = "<= %d MiB" % RSS_LIMIT_MIB
        if rss is None:
            self.add("W4 xgrad peak RSS", self.missing("xgrad", "W4"), "-", "-", "-", goal, "n/a")
        else:
            self.add("W4 xgrad peak RSS", "%.1f MiB" % rss, "-", "-", "-", goal,
                     "met" if rss <= RSS_LIMIT_MIB else "MISSED")

    def scaling(self, w, case):
        """The N-thread epoch against the 1-thread one, both in the same run."""
        t2 = self.median("xgrad", w, case, "xgrad", "s/epoch")
        t1 = self.median("xgrad-1t", w, case, "xgrad", "s/epoch")
        threads = re.search(r"threads (\d+)", self.header.get("settings", ""))
        n = threads.group(1) if threads else "2"
        row = "scaling: %s epoch %s vs 1 thread" % (w, n)
        xs = fmt(t2) + " s" if t2 is not None else self.missing("xgrad", w)
        ps = fmt(t1) + " s" if t1 is not None else self.missing("xgrad-1t", w)
        goal = ">= %g" % SCALING_GOAL
        if t1 is None or t2 is None or t2 <= 0:
            self.add(row, xs, "xgrad 1 thread", ps, "-", goal, "n/a")
        else:
            ratio = t1 / t2
            b1 = self.best("xgrad-1t", w, case, "xgrad", "s/epoch")
            b2 = self.best("xgrad", w, case, "xgrad", "s/epoch")
            self.add(row, xs, "xgrad 1 thread", ps, "%.2f" % ratio, goal,
                     "met" if ratio >= SCALING_GOAL else "MISSED", "%.2f" % (b1 / b2))

    def render(self):
        head = ("goal row", "xgrad", "against", "value", "ratio", "best", "goal", "status")
        width = [max(len(str(r[i])) for r in self.rows + [head]) for i in range(len(head))]
        line = lambda r: "  ".join(str(c).ljust(width[i]) for i, c in enumerate(r)).rstrip()
        out = [line(head), line(["-" * w for w in width])]
        out += [line(r) for r in self.rows]
        return "\n".join(out)


def peaks(results):
    """The machine's FMA peak per thread count (median over the xgrad-bench runs, best of
    zmm and ymm), from W0's RESULT lines."""
    out = {}
    for (source, w, case, fw, metric), v in results.items():
        m = re.match(r"fma (zmm|ymm) \S+ (\d+)T$", case)
        if source == "xgrad" and w == "W0" and m and metric == "GFLOP/s":
            t = int(m.group(2))
            out[t] = max(out.get(t, 0), statistics.median(r[0] for r in v))
    return out


def candidates(results):
    """The sgemm candidates (peers/gemm_candidates.cpp) beside xgrad, as fractions of the
    peak at the same thread count."""
    pk = peaks(results)
    rows = []
    for (source, w, case, fw, metric), v in sorted(results.items()):
        if w != "W1" or metric != "GFLOP/s":
            continue
        if not (source.startswith("cand-") or source in ("xgrad", "xgrad-ct-set", "xgrad-ct-empty")):
            continue
        if source.startswith("xgrad") and fw != "xgrad":
            continue
        m = re.search(r"(\d+)T$", fw)
        t = int(m.group(1)) if m else max(pk) if pk else None
        med = statistics.median(r[0] for r in v)
        frac = "%.0f%%" % (100 * med / pk[t]) if t in pk else "-"
        label = source if source.startswith("xgrad") else "%s (%s)" % (source[5:], fw)
        rows.append((case, label, fmt(med), frac))
    if not any(r[1].startswith(("openblas", "dnnl", "blis")) for r in rows):
        return ""
    head = ("case", "implementation", "GFLOP/s", "of peak")
    width = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
    line = lambda r: "  ".join(c.ljust(width[i]) for i, c in enumerate(r)).rstrip()
    return "\n".join([line(head)] + [line(r) for r in sorted(rows)])


def header_lines(header):
    keys = ["date", "commit", "machine", "settings", "env", "coretype set", "load at start",
            "load at end"]
    out = ["%s: %s" % (k, header[k]) for k in keys if k in header]
    runs = [o for v in header.get("others", {}).values() for o in v]
    if runs:
        noisy = sum(o > QUIET_CORES for o in runs)
        out.append("other processes during the runs: median %.2f, max %.2f cores; %d of %d runs "
                   "above %.2f" % (statistics.median(runs), max(runs), noisy, len(runs),
                                   QUIET_CORES))
        if noisy:
            out.append("WARNING: other processes disturbed %d run(s): those figures are noisy "
                       "(see 'others' in the table of all cases); repeat on a quiet machine "
                       "(--wait-quiet)" % noisy)
    steady = header.get("steady", [])
    if steady:
        out.append("host speed around each run (FMA peak just before and after, the smaller "
                   "over the larger): median %.2f, min %.2f over %d runs; runs below %.2f were "
                   "repeated (up to 3 tries)" % (statistics.median(steady), min(steady),
                                                 len(steady), STEADY_MIN))
    return out


def all_cases(results, others):
    head = ("W", "case", "program", "framework", "metric", "median", "[min..max] of rounds",
            "rounds", "cpu/wall", "RSS MiB", "others")
    rows = []
    for (source, w, case, fw, metric), v in sorted(results.items(), key=lambda kv: kv[0][1]):
        xs = [r[0] for r in v]
        utils = [r[2] for r in v if r[2] is not None]
        rows.append((w, case, source, fw, metric, fmt(statistics.median(xs)),
                     "[%s..%s]" % (fmt(min(xs)), fmt(max(xs))), str(len(xs)),
                     "%.2f" % statistics.median(utils) if utils else "-",
                     fmt(max(r[1] for r in v)),
                     "%.2f" % max(others[(w, source)]) if (w, source) in others else "-"))
    width = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(c.ljust(width[i]) for i, c in enumerate(r)).rstrip()
    return "\n".join([line(head)] + [line(r) for r in rows])


def main(argv):
    full = "--all" in argv
    paths = [a for a in argv if a != "--all"]
    if len(paths) != 1:
        sys.stderr.write("usage: compare_table.py [--all] LOG\n")
        return 2
    try:
        header, results, unknown, failed = parse(paths[0])
    except OSError as e:
        sys.stderr.write("compare_table.py: error: cannot read %s: %s\n" % (paths[0], e.strerror))
        return 1
    if full:
        print(all_cases(results, header["others"]))
        return 0
    table = Table(header, results, unknown, failed)
    table.build()
    print("\n".join(header_lines(header)))
    print("values: median over rounds. Against 'limit' (the machine's FMA peak measured in the same")
    print("run by xgrad-bench W0, and the work's FLOPs at that peak): ratio = xgrad / limit, the")
    print("fraction of the peak for GFLOP/s, the multiple of the compute limit for times. Against")
    print("a peer: ratio = peer time / xgrad time (GFLOP/s: xgrad / peer), > 1 means xgrad is")
    print("faster. best = the same ratio for the fastest samples of all rounds (the status uses the")
    print("median); goal = what issue 16 asks for")
    print()
    print(table.render())
    pk = peaks(results)
    if pk:
        print()
        print("machine FMA peak (W0, median): " +
              ", ".join("%d thread(s) %s GFLOP/s" % (t, fmt(g)) for t, g in sorted(pk.items())))
    cand = candidates(results)
    if cand:
        print()
        print("sgemm candidates (median GFLOP/s; peak at the same thread count; the libraries'")
        print("own threads, xgrad's TBB tiles):")
        print(cand)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
