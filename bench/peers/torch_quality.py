"""
The PyTorch side of the time-to-quality race: train the default experiment (flowlab_torch.py,
batch 1024) and, as the training wall time passes each horizon, save the parameters in FlowLab's
flat layout (per layer W [in, out] row-major, then b [out]; raw float32) as
<snapshots>/torch-<seconds>s.f32. FlowLab's evaluator (bench/flowlab/evaluate.ts) judges both
sides' snapshots with the same code; nothing is evaluated here, so no evaluation time counts.

usage: python3 torch_quality.py --horizons 30,60,120,300 --batch 1024 --snapshots DIR --threads 2
prints one JSON line: {"torch", "threads", "results": [{seconds, trained_s, steps, loss, snapshot}]}
"""
import argparse
import os
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
    p.add_argument("--horizons", default="30,60,120,300")
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--snapshots", required=True)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    set_threads(args.threads)
    model, _, step = new_setup(SEED, args.batch)
    horizons = sorted(float(h) for h in args.horizons.split(","))
    results = []
    trained = 0.0
    steps = 0
    loss = float("nan")
    for horizon in horizons:
        while trained < horizon:
            start = time.perf_counter()
            for _ in range(STEPS_PER_CHECK):
                loss = float(step())
            steps += STEPS_PER_CHECK
            trained += time.perf_counter() - start
        label = f"{horizon:g}"
        snapshot = os.path.join(args.snapshots, f"torch-{label}s.f32")
        flat_params(model).tofile(snapshot)
        results.append({"seconds": horizon, "trained_s": trained, "steps": steps, "loss": loss, "snapshot": snapshot})
    emit({**torch_version_info(), "results": results})


if __name__ == "__main__":
    main()
