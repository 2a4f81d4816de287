"""
Sampling throughput of the PyTorch peer on FlowLab's exported velocity net: x0 ~ N(0, I) pushed
from t=0 to t=1 by classical RK4 (fixed steps) and by Dormand-Prince 5(4) (torchdiffeq's dopri5
when installed, else dopri5_torch.py). Throughput = points * NFE / seconds.

usage: python3 torch_sample.py --onnx velocity.onnx --points 10000,100000 --rk4-steps 50
         --rtol 1e-5 --atol 1e-5 --threads 2
prints one JSON line: {"torch", "threads", "solver_dopri5", "max_abs_diff_vs_onnxruntime",
"results": [{method, points, nfe, seconds, points_nfe_per_s, in_square}]}
"""
import argparse
import time

import torch

from flowlab_torch import emit, in_square_fraction, rk4, set_threads, torch_version_info
from onnx_weights import SAME_NET_TOLERANCE, check_against_onnxruntime, load_velocity_mlp
import dopri5_torch

SEED = 4321


def dopri5_solver():
    """(name, solve(model, x, rtol, atol) -> (x1, nfe))."""
    try:
        from torchdiffeq import odeint
    except ImportError:
        def solve(model, x, rtol, atol):
            n = x.shape[0]
            f = lambda t, y: model(y, torch.full((n, 1), float(t)))
            y, nfe, _, _ = dopri5_torch.dopri5(f, x, rtol=rtol, atol=atol)
            return y, nfe
        return "dopri5 (own, torchdiffeq missing)", solve

    import torchdiffeq

    def solve(model, x, rtol, atol):
        n = x.shape[0]
        calls = [0]

        def f(t, y):
            calls[0] += 1
            return model(y, t.reshape(1, 1).expand(n, 1).to(y.dtype))

        with torch.inference_mode():
            ys = odeint(f, x, torch.tensor([0.0, 1.0]), method="dopri5", rtol=rtol, atol=atol)
        return ys[-1], calls[0]

    return f"torchdiffeq {getattr(torchdiffeq, '__version__', '?')} dopri5", solve


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--onnx", required=True)
    p.add_argument("--points", default="10000,100000")
    p.add_argument("--rk4-steps", type=int, default=50)
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--atol", type=float, default=1e-5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--methods", default="rk4,dopri5")
    args = p.parse_args()
    set_threads(args.threads)
    model = load_velocity_mlp(args.onnx).eval()
    diff = check_against_onnxruntime(args.onnx, model)
    if diff is not None and diff > SAME_NET_TOLERANCE:
        raise SystemExit(f"{args.onnx}: the loaded peer net differs from onnxruntime by {diff:.3g}; the export layout changed")
    dopri_name, dopri = dopri5_solver()
    results = []
    for n in [int(s) for s in args.points.split(",")]:
        x0 = torch.randn(n, model.linears()[-1].out_features, generator=torch.Generator().manual_seed(SEED))
        for method in args.methods.split(","):
            with torch.inference_mode():
                model(x0[:16], torch.zeros(16, 1))  # warm-up
            start = time.perf_counter()
            if method == "rk4":
                x1, nfe = rk4(model, x0, args.rk4_steps)
            else:
                x1, nfe = dopri(model, x0, args.rtol, args.atol)
            seconds = time.perf_counter() - start
            results.append({
                "method": method, "points": n, "nfe": nfe, "seconds": seconds,
                "points_nfe_per_s": n * nfe / seconds, "in_square": in_square_fraction(x1),
            })
    emit({**torch_version_info(), "solver_dopri5": dopri_name, "max_abs_diff_vs_onnxruntime": diff, "results": results})


if __name__ == "__main__":
    main()
