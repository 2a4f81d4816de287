"""
Training throughput of the PyTorch peer: steps/s and achieved GFLOP/s of the default experiment
(see flowlab_torch.py) at each batch size, eager and (when it works here) torch.compile.

GFLOP/s = steps/s * 6 * batch * sum over layers of (in * out) / 1e9.

usage: python3 torch_train.py --batches 256,1024,4096 --threads 2 --seconds 2 --rounds 3 --modes eager,compile
prints one JSON line: {"torch": ..., "threads": ..., "results": [{mode, batch, steps_per_s (best
round), steps_per_s_median, gflops, steps, seconds, final_loss, compile_s} | {mode, batch, missing}]}
"""
import argparse
import time
import traceback

import torch

from flowlab_torch import emit, new_setup, set_threads, train_flops_per_step, torch_version_info

SEED = 1234
# Steps run before the clock starts: allocator warm-up, Adam state creation, compile.
DEFAULT_WARMUP_STEPS = 20


def measure(step, seconds, min_steps, rounds, warmup):
    """Best and median steps/s over `rounds` timed rounds (the best is the least disturbed by
    other work on a shared machine)."""
    for _ in range(warmup):
        step()
    rates = []
    steps_total = 0
    seconds_total = 0.0
    loss = None
    for _ in range(rounds):
        steps = 0
        start = time.perf_counter()
        while True:
            loss = step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds and steps >= min_steps:
                break
        rates.append(steps / elapsed)
        steps_total += steps
        seconds_total += elapsed
    rates.sort()
    return {"best": rates[-1], "median": rates[len(rates) // 2], "steps": steps_total,
            "seconds": seconds_total, "final_loss": float(loss)}


def run_mode(mode, batch, seconds, min_steps, rounds, warmup):
    model, opt, step = new_setup(SEED, batch)
    if mode == "compile":
        compile_start = time.perf_counter()
        step = torch.compile(step)
        step()  # compiles
        compile_s = time.perf_counter() - compile_start
    else:
        compile_s = 0.0
    m = measure(step, seconds, min_steps, rounds, warmup)
    flops = train_flops_per_step(model, batch)
    return {
        "mode": mode,
        "batch": batch,
        "steps_per_s": m["best"],
        "steps_per_s_median": m["median"],
        "gflops": m["best"] * flops / 1e9,
        "steps": m["steps"],
        "seconds": m["seconds"],
        "final_loss": m["final_loss"],
        "compile_s": compile_s,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batches", default="256,1024,4096")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--min-steps", type=int, default=10)
    p.add_argument("--modes", default="eager,compile")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=int, default=DEFAULT_WARMUP_STEPS)
    args = p.parse_args()
    set_threads(args.threads)
    results = []
    compile_broken = None
    for mode in args.modes.split(","):
        for batch in [int(b) for b in args.batches.split(",")]:
            if mode == "compile" and compile_broken:
                results.append({"mode": mode, "batch": batch, "missing": compile_broken})
                continue
            try:
                results.append(run_mode(mode, batch, args.seconds, args.min_steps, args.rounds, args.warmup))
            except Exception as err:  # torch.compile needs a working C++ toolchain; report why not
                reason = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]
                traceback.print_exc()
                if mode == "compile":
                    compile_broken = reason
                results.append({"mode": mode, "batch": batch, "missing": reason})
    emit({**torch_version_info(), "results": results})


if __name__ == "__main__":
    main()
