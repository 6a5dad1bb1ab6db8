#!/usr/bin/env python3
"""Cost model of data-parallel training on N hosts, calibrated on this machine.

  tools/distributed/cost_model.py                    # the calibration in DEFAULTS
  tools/distributed/cost_model.py --calibration F    # key=value lines (tools/distributed/bench)

One rank per host, each host like the benchmark machine (2 cores). Per step:
  compute   C(b) = c0 + c1*b            per-host batch b, fitted on two measured batch sizes
  all-reduce (ring)  T(S) = 2(N-1)*alpha + 2(N-1)/N * S/beta + (N-1)/N * S*gamma
            alpha: per-message latency of the network, beta: link bandwidth,
            gamma: copying and adding on the host, per byte: the whole 2-rank
            loopback all-reduce time per byte (an upper bound)
  overlap   exposed = T(S) - eta * min(T(S) - T(S_last), C_bwd(b))
            buckets other than the last can hide under backward; eta is the
            hidden fraction measured on loopback (xgrad-dist-bench --epoch)
  step      C(b) + exposed;  epoch = ceil(60000 / (b N)) steps
Efficiency = one host's epoch / (N x N hosts' epoch) at the same global batch
(strong scaling, as `mpirun -np N xgrad-train --batch 64`) or the same per-host
batch (weak scaling: the global batch grows with N, the learning rate must be
retuned). The 100x model multiplies parameters (S) and per-example compute
(c1) by 100. Network latencies are assumptions (typical MPI figures), not
measurements: 10 Gb/s Ethernet over TCP ~25 us, 100 Gb/s RDMA ~3 us; bandwidth
is taken at 90% of the line rate.
"""
import argparse
import math

# Measured on the benchmark machine by tools/distributed/bench on 2026-11-30
# (README, "Training on several machines"), a 2-core VM shared with other
# jobs (load ~10): compute there ran ~4x slower than on the quiet machine.
DEFAULTS = {
    "step_ms_b64": 38.4,        # one host (2 threads), default CNN, batch 64
    "step_ms_b8": 4.97,         # the same at batch 8
    "backward_fraction": 0.642,  # of a step's compute after the forward pass
    "grad_bytes": 745_432,      # the default CNN's float32 gradients
    "gamma_ns_per_byte": 1.83,  # loopback 64 MiB Iallreduce, 2 ranks, per byte
    "hidden_fraction": 0.153,   # measured share of the all-reduce hidden by overlap
    "bucket_bytes": 250_000,
    "examples": 60_000,
}
NETWORKS = [("10 Gb/s", 10e9 / 8 * 0.9, 25e-6), ("100 Gb/s", 100e9 / 8 * 0.9, 3e-6)]
HOSTS = [2, 4, 8, 16, 32, 64]


def load(path):
    cal = dict(DEFAULTS)
    if path:
        for line in open(path):
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                cal[key.strip()] = float(value)
    return cal


def ring(n, size, alpha, beta, gamma):
    if n == 1:
        return 0.0
    return 2 * (n - 1) * alpha + 2 * (n - 1) / n * size / beta + (n - 1) / n * size * gamma


def step_time(cal, scale, n, b, alpha, beta):
    c1 = (cal["step_ms_b64"] - cal["step_ms_b8"]) / 56 * 1e-3 * scale
    c0 = cal["step_ms_b8"] * 1e-3 - 8 * c1 / scale
    compute = c0 + c1 * b
    size = cal["grad_bytes"] * scale
    gamma = cal["gamma_ns_per_byte"] * 1e-9
    t = ring(n, size, alpha, beta, gamma)
    t_last = ring(n, min(size, cal["bucket_bytes"]), alpha, beta, gamma)
    hidden = cal["hidden_fraction"] * min(t - t_last, cal["backward_fraction"] * compute)
    return compute + t - hidden, t - hidden


def table(cal, name, scale, weak):
    per_host = 64
    base_steps = math.ceil(cal["examples"] / per_host)
    one, _ = step_time(cal, scale, 1, per_host, 1.0, 1.0)
    one_epoch = base_steps * one
    print(f"\n{name}: {cal['grad_bytes'] * scale / 1e6:.1f} MB of gradients; "
          + ("per-host batch 64 (global 64 N)" if weak else "global batch 64 (64/N per host)")
          + f"; one host: {one_epoch:.1f} s per epoch")
    head = "".join(f" | {net + ': epoch s':>17} {'comm ms':>8} {'eff':>4}" for net, _, _ in NETWORKS)
    print(f"{'hosts':>5}{head}")
    for n in HOSTS:
        b = per_host if weak else max(1, math.ceil(per_host / n))
        steps = math.ceil(cal["examples"] / (b * n))
        row = f"{n:>5}"
        for _, beta, alpha in NETWORKS:
            step, exposed = step_time(cal, scale, n, b, alpha, beta)
            epoch = steps * step
            row += f" | {epoch:17.2f} {exposed * 1e3:8.2f} {one_epoch / (n * epoch):4.0%}"
        print(row)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", help="key=value file written by tools/distributed/bench")
    args = ap.parse_args()
    cal = load(args.calibration)
    print("calibration: " + ", ".join(f"{k}={v:g}" for k, v in cal.items()))
    for weak in (False, True):
        for name, scale in (("default CNN", 1), ("100x larger model", 100)):
            table(cal, name, scale, weak)


if __name__ == "__main__":
    main()
