"""
The PyTorch side of the time-to-quality race (flowlab_torch.py's experiment, batch 1024), driven
line by line on stdin so the suite can alternate it with FlowLab in slices (both then train under
the same load); the same protocol as bench/flowlab/quality.ts:
  (start)            -> {"ready": true, "build_s"}
  train <seconds>    trains until its training wall time reaches <seconds>  -> {trained_s, steps, loss}
  snapshot <label>   saves the parameters in FlowLab's flat layout (per layer W [in, out] row-major,
                     then b; raw float32) as <snapshots>/torch-<label>s.f32  -> {snapshot, trained_s, steps, loss}
  (end of input)     -> {"done": true, "torch", "threads"}
FlowLab's evaluator (bench/flowlab/evaluate.ts) judges both sides' snapshots with the same code.

usage: python3 torch_quality.py --batch 1024 --snapshots DIR --threads 2
"""
import argparse
import os
import sys
import time

import numpy as np

from flowlab_torch import emit, new_setup, set_threads, torch_version_info

SEED = 99
# Steps between clock checks (a few ms each at batch 1024).
STEPS_PER_CHECK = 5


def flat_params(model):
    """FlowLab's flat parameter vector: for each layer W as [in, out] row-major, then b."""
    parts = []
    for linear in model.linears():
        parts.append(linear.weight.detach().numpy().T.astype(np.float32).ravel())
        parts.append(linear.bias.detach().numpy().astype(np.float32).ravel())
    return np.concatenate(parts)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--snapshots", required=True)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    set_threads(args.threads)
    start = time.perf_counter()
    model, _, step = new_setup(SEED, args.batch)
    emit({"ready": True, "build_s": time.perf_counter() - start})
    trained = 0.0
    steps = 0
    loss = float("nan")
    for line in iter(sys.stdin.readline, ""):
        parts = line.split()
        if not parts:
            continue
        command, arg = parts[0], parts[1] if len(parts) > 1 else ""
        if command == "train":
            until = float(arg)
            while trained < until:
                t0 = time.perf_counter()
                for _ in range(STEPS_PER_CHECK):
                    loss = float(step())
                steps += STEPS_PER_CHECK
                trained += time.perf_counter() - t0
            emit({"trained_s": trained, "steps": steps, "loss": loss})
        elif command == "snapshot":
            snapshot = os.path.join(args.snapshots, f"torch-{arg}s.f32")
            flat_params(model).tofile(snapshot)
            emit({"snapshot": snapshot, "trained_s": trained, "steps": steps, "loss": loss})
        else:
            raise SystemExit(f"unknown command '{command}'; use train <seconds> or snapshot <label>")
    emit({"done": True, **torch_version_info()})


if __name__ == "__main__":
    main()
