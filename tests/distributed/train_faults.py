#!/usr/bin/env python3
"""`mpirun -np N xgrad-train` end to end, and what happens when a rank fails.

  train_faults.py XGRAD_TRAIN DATA.csv SCRATCH_DIR

Runs (each under a timeout: a hang fails the test):
  outputs     2 ranks write one set of files (rank 0), print one table; two runs
              give bit-identical weights; 3 ranks and 1 process agree to rounding
  resume      2 epochs + 1 resumed epoch on 2 ranks = 3 epochs straight, bit for bit;
              resuming with 3 ranks and with 1 process works
  exception   rank 1 throws mid-run (XGRAD_FAIL_AT): every rank stops, the message
              names rank 1, the last checkpoint resumes with 3 ranks
  bad file    rank 1 reads a corrupt copy of the data: stops, naming rank 1 and the file;
              a different (valid) copy: a clear error, no abort
  sigkill     rank 1 is killed (SIGKILL) mid-run: every rank stops, mpirun names rank 1,
              the last checkpoint loads and resumes with 3 ranks and with 1 process
Prints the time from each failure to the end of the job (the figures the README quotes).
"""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np

TRAIN, DATA, SCRATCH = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
MPIRUN = ["mpirun", "--oversubscribe", "--allow-run-as-root"]
BASE = ["--model", "mlp", "--hidden", "8", "--batch", "16", "--dropout", "0.2", "--seed", "3",
        "--threads", "1", "--lr-schedule", "constant", "--warmup-steps", "30",
        "--quiet"]  # a per-step lr (warm-up): resumed on every rank
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


class Job:
    """A command in its own process group; stderr lines are time-stamped as they come."""

    def __init__(self, cmd, env=None):
        self.start = time.monotonic()
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True, env={**os.environ, **(env or {})})
        self.lines, self.out_lines = [], []
        # One reader per pipe (communicate() would race the stderr reader for lines).
        self.readers = [threading.Thread(target=self._read, args=(pipe, sink), daemon=True)
                        for pipe, sink in ((self.p.stdout, None), (self.p.stderr, self.lines))]
        for t in self.readers:
            t.start()

    def _read(self, pipe, stamped):
        for line in pipe:
            if stamped is None:
                self.out_lines.append(line)
            else:
                stamped.append((time.monotonic(), line.rstrip("\n")))

    def wait(self, timeout=120):
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait()
            check(False, f"finished within {timeout} s (it hung): {' '.join(self.p.args)}")
        self.end = time.monotonic()
        for t in self.readers:
            t.join(5)
        self.out = "".join(self.out_lines)
        return self.p.returncode

    def err(self):
        return "\n".join(line for _, line in self.lines)

    def first(self, text):
        return next((t for t, line in self.lines if text in line), None)


def train(ranks, out, *extra, env=None, timeout=120):
    cmd = ([*MPIRUN, "-np", str(ranks)] if ranks else []) + [TRAIN, *BASE, "--data",
                                                             f"csv:{DATA}", *extra]
    if out:
        cmd += ["--out", str(out)]
    job = Job(cmd, env)
    job.wait(timeout)
    return job


def weights(path):
    with np.load(path) as f:
        return {k: f[k] for k in f.files if k.startswith("model/")}


def max_rel(a, b):
    return max(float(np.max(np.abs(a[k] - b[k])) / max(np.max(np.abs(b[k])), 1e-30)) for k in b)


def same_bits(a, b):
    return a.keys() == b.keys() and all(a[k].tobytes() == b[k].tobytes() for k in a)


def outputs_and_resume():
    d1, d2 = SCRATCH / "np2-a", SCRATCH / "np2-b"
    j = train(2, d1, "--epochs", "3")
    check(j.p.returncode == 0, f"2 ranks train 3 epochs (exit {j.p.returncode}) {j.err()}")
    check(j.out.count("epoch  train loss") == 1 and j.out.count("epoch 3/3 ") == 1,
          "the epoch lines and the final table are printed once (rank 0 only)")
    names = sorted(p.name for p in d1.iterdir())
    check(names == ["checkpoint.npz", "checkpoint_epoch1.npz", "checkpoint_epoch2.npz",
                    "checkpoint_epoch3.npz", "metrics.csv", "training.svg"],
          f"one set of files, no temporaries: {names}")
    check(len((d1 / "metrics.csv").read_text().splitlines()) == 4, "metrics.csv has 3 epochs")
    train(2, d2, "--epochs", "3")
    w1 = weights(d1 / "checkpoint.npz")
    check(same_bits(w1, weights(d2 / "checkpoint.npz")), "two 2-rank runs: bit-identical weights")
    train(3, SCRATCH / "np3", "--epochs", "3")
    train(0, SCRATCH / "alone", "--epochs", "3")
    w3, w0 = weights(SCRATCH / "np3/checkpoint.npz"), weights(SCRATCH / "alone/checkpoint.npz")
    r3, r0 = max_rel(w3, w1), max_rel(w0, w1)
    print(f"      max relative difference after 24 steps: 3 ranks {r3:.1e}, 1 process {r0:.1e}")
    check(0 < r0 < 1e-5 and r3 < 1e-5, "2 ranks, 3 ranks and one process agree to rounding")

    d5 = SCRATCH / "np2-resumed"
    train(2, d5, "--epochs", "2")
    j = train(2, d5, "--epochs", "3", "--resume", str(d5 / "checkpoint.npz"))
    check(j.p.returncode == 0 and same_bits(weights(d5 / "checkpoint.npz"), w1),
          "2 epochs + 1 resumed epoch on 2 ranks = 3 epochs straight, bit for bit")


def resumes(checkpoint, tag):
    with np.load(checkpoint) as f:
        done = f["meta/history"].shape[0]
    for ranks in (3, 0):
        out = SCRATCH / f"{tag}-resume-np{ranks}"
        j = train(ranks, out, "--epochs", str(done + 1), "--resume", str(checkpoint))
        n = len((out / "metrics.csv").read_text().splitlines()) - 1 if j.p.returncode == 0 else 0
        check(j.p.returncode == 0 and n == done + 1,
              f"{tag}: the checkpoint of epoch {done} resumes with {ranks or 1} rank(s) {j.err()}")


def exception():
    d = SCRATCH / "exception"
    j = train(2, d, "--epochs", "100", env={"XGRAD_FAIL_AT": "1:20"})  # step 20: epoch 3
    t = j.first("rank 1 of 2 failed")
    check(j.p.returncode != 0 and t is not None and "XGRAD_FAIL_AT" in j.err(),
          "exception on rank 1: the job stops, naming rank 1")
    if t is not None:
        print(f"      exception: every rank gone {j.end - t:.2f} s after rank 1's message")
    check((d / "checkpoint_epoch2.npz").exists() and not (d / "checkpoint_epoch3.npz").exists(),
          "exception: epochs 1 and 2 were written, nothing after")
    resumes(d / "checkpoint.npz", "exception")


def bad_file():
    rows = DATA.read_text().splitlines()
    corrupt, other = SCRATCH / "corrupt.csv", SCRATCH / "other.csv"
    corrupt.write_text("\n".join(rows[:40] + ["1.0,oops,2.0,3.0,1"] + rows[41:]) + "\n")
    other.write_text("\n".join(rows[:1] + rows[2:]) + "\n")  # valid, one row fewer
    for path, expect, aborts in ((corrupt, "rank 1 of 2 failed", True),
                                 (other, "differs from rank 0's", False)):
        cmd = [*MPIRUN, "-np", "1", TRAIN, *BASE, "--data", f"csv:{DATA}", "--epochs", "2", ":",
               "-np", "1", TRAIN, *BASE, "--data", f"csv:{path}", "--epochs", "2"]
        j = Job(cmd)
        j.wait()
        t = j.first(expect)
        # A different copy is found by every rank together: a clean error, no abort.
        check(j.p.returncode != 0 and t is not None and (not aborts or path.name in j.err())
              and ("rank 1 of 2 failed" in j.err()) == aborts,
              f"{path.name} on rank 1: '{expect}'{' (abort)' if aborts else ' (no abort)'}")
        if t is not None:
            print(f"      {path.name}: every rank gone {j.end - t:.2f} s after the message")


def rank_pids(mpirun_pid, rank):
    """Processes started by this mpirun with OMPI_COMM_WORLD_RANK=rank."""
    found = []
    for proc in pathlib.Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            env = (proc / "environ").read_bytes().split(b"\0")
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() in env and ppid == mpirun_pid:
            found.append(int(proc.name))
    return found


def sigkill():
    d = SCRATCH / "sigkill"
    cmd = [*MPIRUN, "-np", "2", TRAIN, *BASE, "--data", f"csv:{DATA}", "--epochs", "100000",
           "--out", str(d)]
    j = Job(cmd)
    deadline = time.monotonic() + 60
    while not (d / "checkpoint_epoch3.npz").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = rank_pids(j.p.pid, 1)
    check(len(pids) == 1, f"found rank 1's process ({pids})")
    killed = time.monotonic()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    j.wait(60)
    check(j.p.returncode != 0 and "rank 1" in j.err() and "signal 9" in j.err(),
          f"SIGKILL of rank 1: the job stops, mpirun names rank 1 and the signal")
    print(f"      SIGKILL: every rank gone {j.end - killed:.2f} s after the kill")
    check(len(weights(d / "checkpoint.npz")) > 0, "the last checkpoint loads (NumPy)")
    resumes(d / "checkpoint.npz", "sigkill")


def main():
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    for test in (outputs_and_resume, exception, bad_file, sigkill):
        print(f"== {test.__name__}", flush=True)
        test()
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
