"""
PyTorch on a device (CUDA on the GPU machine; the CPU to test it anywhere): the GPU table's peer
(scripts/gpu-check.sh). Training steps/s of the default MLP experiment (flowlab_torch.py: the
same net, trigonometric interpolant, Adam, 100k checkerboard points held on the device) at each
batch, and of the default U-Net (unet_torch.py, with the spec FlowLab's config gives) on
device-resident images; RK4 sampling of the MLP and Euler sampling of the U-Net in samples/s.
Eager, and torch.compile where it works. Losses stay on the device and are read once per timed
round (FlowLab reads each call's losses, K steps at a time).

usage: python3 torch_cuda.py --device cuda [--batches 1024,4096,16384] [--unet-spec JSON --unet-batch 16]
           [--modes eager,compile] [--seconds 2] [--sample-n 65536] [--unet-sample-n 256]
prints one JSON line: {"torch": ..., "device": ..., "rows": [{engine, work, net, batch|n, value, unit} | {..., missing}]}
"""
import argparse
import json
import math
import sys
import time
import traceback

import torch

from flowlab_torch import DATA_POINTS, LR, VelocityMLP, checkerboard, emit, rk4


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def rate(step, device, seconds, warmup=5, rounds=3):
    """Best steps (or calls) per second over timed rounds."""
    for _ in range(warmup):
        step()
    sync(device)
    best = 0.0
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        while True:
            out = step()
            n += 1
            if n >= 3 and time.perf_counter() - start >= seconds:
                break
        if out is not None:
            out.cpu()  # the losses reach the host once per round
        sync(device)
        best = max(best, n / (time.perf_counter() - start))
    return best


def mlp_step(device, batch):
    g = torch.Generator(device=device).manual_seed(1234)
    data = checkerboard(DATA_POINTS, torch.Generator().manual_seed(1234)).to(device)
    model = VelocityMLP().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    half_pi = math.pi / 2

    def step():
        x1 = data[torch.randint(0, data.shape[0], (batch,), generator=g, device=device)]
        x0 = torch.randn(batch, 2, generator=g, device=device)
        t = torch.rand(batch, 1, generator=g, device=device)
        a, b = torch.cos(half_pi * t), torch.sin(half_pi * t)
        loss = (model(a * x0 + b * x1, t) - half_pi * (a * x1 - b * x0)).pow(2).sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.detach()

    return model, step


def unet_step(device, spec, batch):
    import unet_torch  # the U-Net peer, layer for layer FlowLab's

    torch.set_default_device(device)  # its time features build tensors without a device
    model = unet_torch.Unet(spec)
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    images = torch.rand(1000, spec["channels"], spec["height"], spec["width"]) * 2 - 1
    g = torch.Generator(device=device).manual_seed(1)
    half_pi = math.pi / 2

    def step():
        x1 = images[torch.randint(0, images.shape[0], (batch,), generator=g, device=device)]
        x0 = torch.randn(x1.shape, generator=g, device=device)
        t = torch.rand(batch, 1, generator=g, device=device)
        a, b = torch.cos(half_pi * t)[:, :, None, None], torch.sin(half_pi * t)[:, :, None, None]
        loss = (model(a * x0 + b * x1, t) - half_pi * (a * x1 - b * x0)).pow(2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.detach()

    return model, step


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda", help="cuda or cpu")
    p.add_argument("--batches", default="1024,4096,16384")
    p.add_argument("--unet-spec", default=None, help="FlowLab's U-Net spec as JSON (channels, height, width, base, mults, blocks, attention, freqs)")
    p.add_argument("--unet-batch", type=int, default=16)
    p.add_argument("--modes", default="eager,compile")
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--sample-n", type=int, default=65536)
    p.add_argument("--sample-steps", type=int, default=50)
    p.add_argument("--unet-sample-n", type=int, default=256)
    p.add_argument("--unet-sample-steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch's default, all cores)")
    a = p.parse_args()
    if a.device not in ("cuda", "cpu"):
        sys.exit(f"--device must be cuda or cpu, got '{a.device}'")
    if a.device == "cuda" and not torch.cuda.is_available():
        emit({"torch": torch.__version__, "device": a.device, "rows": [], "missing": "torch.cuda.is_available() is False"})
        return
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    name = torch.cuda.get_device_name(0) if a.device == "cuda" else "cpu"
    rows = []
    spec = json.loads(a.unet_spec) if a.unet_spec else None
    for mode in a.modes.split(","):
        engine = f"torch {a.device} {mode}"
        wrap = (lambda f: torch.compile(f)) if mode == "compile" else (lambda f: f)
        jobs = [("train", "mlp", b) for b in map(int, a.batches.split(","))] + [("sample", "mlp", a.sample_n)]
        if spec:
            jobs += [("train", "unet", a.unet_batch), ("sample", "unet", a.unet_sample_n)]
        for work, net, size in jobs:
            if work == "sample":
                work = f"sample rk4-{a.sample_steps}" if net == "mlp" else f"sample euler-{a.unet_sample_steps}"
            row = {"engine": engine, "work": work, "net": net, ("batch" if work == "train" else "n"): size}
            try:
                if net == "mlp" and work == "train":
                    _, step = mlp_step(device, size)
                    row.update(value=rate(wrap(step), device, a.seconds), unit="steps/s")
                elif net == "unet" and work == "train":
                    _, step = unet_step(device, spec, size)
                    row.update(value=rate(wrap(step), device, a.seconds), unit="steps/s")
                elif net == "mlp":
                    model = VelocityMLP().to(device)
                    x = torch.randn(size, 2, device=device)
                    f = wrap(lambda: rk4(model, x, a.sample_steps)[0])
                    row.update(value=size * rate(f, device, a.seconds, warmup=1, rounds=2), unit="samples/s")
                else:
                    model, _ = unet_step(device, spec, 1)
                    x = torch.randn(size, spec["channels"], spec["height"], spec["width"], device=device)
                    h = 1.0 / a.unet_sample_steps

                    @torch.inference_mode()
                    def euler():
                        y = x
                        for i in range(a.unet_sample_steps):
                            y = y + h * model(y, torch.full((size, 1), i * h, device=device))
                        return y

                    row.update(value=size * rate(wrap(euler), device, a.seconds, warmup=1, rounds=2), unit="samples/s")
            except Exception as err:  # torch.compile needs a C++ toolchain and Triton; the U-Net peer may be absent
                traceback.print_exc()
                row["missing"] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
    emit({"torch": torch.__version__, "device": name, "rows": rows})


if __name__ == "__main__":
    main()
