"""
The PyTorch peer of FlowLab's image training (src-main/engine/train/imageTrainProgram.ts and
imageTrainSession.ts): the same U-Net (unet_torch.py, FlowLab's parameter layout), the same
training digits (FlowLab's own training split, exported by bench/flowlab/unetRecipe.ts), and the
same recipe (bench/flowlab/unetRecipe.ts peerRecipe: batch, lr, Adam's betas and eps, warmup and
schedule, gradient clipping, EMA with warm-up, interpolant and time sampling). One step:

  rows ~ U{0..n-1} (with replacement),  x1 = 2 (k + u) / 256 - 1,  u ~ U[0, 1) per pixel
  t = u (uniform) or 1 - (1 - u)^2 (late), times tMax;  x0 ~ N(0, I)
  x_t = a(t) x0 + b(t) x1,  target = a'(t) x0 + b'(t) x1   (trig: a = cos(pi t / 2), b = sin(pi t / 2))
  loss = mean over batch and pixels of (v(t, x_t) - target)^2
  g *= min(clip / (|g| + 1e-6), 1);  Adam (bias-corrected, lr of the step);  ema += (p - ema) (1 - d_s)
  d_s = min(emaDecay, (1 + s) / (emaWarmup + s))

Only the random streams differ from FlowLab's (torch's generator instead of FlowLab's hash).

Before anything else the peer checks, from the files of --check (unetRecipe.ts writePeerCheck),
that from FlowLab's initial parameters and on FlowLab's inputs of steps 0 and 1 it computes
FlowLab's losses, that its two optimizer steps land on FlowLab's parameters and EMA, and that its
euler sampler gives FlowLab's samples; then it starts again from FlowLab's initial parameters.
(Adam's first steps do not depend on the gradient's scale, so the clipping escapes this check;
the rate, the betas and the EMA's warm-up do not.) A mismatch exits with the reason.

usage:
  python3 unet_train_torch.py --recipe R.json --data train.npy --check DIR --threads 1 \
      --serve                                   # the throughput benchmark's commands on stdin
  python3 unet_train_torch.py ... --budget 1200 --snapshots 300,600,1200 --out DIR [--samples 1000 --sample-steps 20]
--serve reads one command a line and answers each with one JSON line:
  train K            K timed training steps -> {"ms": [per-step ms]}
  sample M S N       generate N images with method M (euler, rk4) in S steps -> {"ms": total ms}
  quit
The first line printed is {"ready": true, ...} with the check's figures. The timed mode trains
until --budget seconds of training time (snapshots not counted), writes the EMA net's samples at
each snapshot time to OUT/torch-<seconds>s.npy (NPY float32 [n, 1, 28, 28], pixel scale [0, 1]),
prints one JSON line per snapshot and a last one with every snapshot.
"""
import argparse
import contextlib
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unet_torch import Unet  # noqa: E402

LOSS_RTOL = 1e-4
# Adam's first updates are about lr_s g / |g| per parameter, so where the exact gradient is 0 (a
# bias just before a GroupNorm of one channel per group cancels) float32 noise in g moves a
# parameter by up to lr_s either way, on both sides. Elsewhere the changes must agree to
# UPDATE_ATOL of the summed rates, for all but 1 - UPDATE_AGREE of the parameters.
UPDATE_ATOL = 0.05
UPDATE_AGREE = 0.97
SAMPLE_ATOL = 1e-3
CLIP_EPS = 1e-6


def fail(msg):
    print(f"unet_train_torch.py: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def coefficients(name, t):
    """a, b, a', b' of the interpolant at t (a tensor)."""
    if name == "trig":
        th = t * (math.pi / 2)
        c, s = torch.cos(th), torch.sin(th)
        return c, s, -s * (math.pi / 2), c * (math.pi / 2)
    if name == "linear":
        return 1 - t, t, -torch.ones_like(t), torch.ones_like(t)
    fail(f"interpolant '{name}' is not reproduced by the peer; use trig or linear")


def learning_rate(r, step):
    """stepSchedule's rate (src-main/api/lrSchedule.ts)."""
    w = r["warmup"]
    if step < w:
        return r["lr"] * (step + 1) / w
    if r["schedule"] == "constant":
        return r["lr"]
    p = min(1.0, (step - w) / max(1, r["steps"] - w))
    f = r["lrFloor"]
    return r["lr"] * (f + (1 - f) * (1 + math.cos(math.pi * p)) / 2)


class Trainer:
    def __init__(self, recipe, params0, levels, device="cpu"):
        if recipe["weightDecay"] != 0:
            fail("weightDecay > 0 is not reproduced by the peer")
        self.r = recipe
        self.device = torch.device(device)
        self.model = Unet(recipe["net"])
        self.model.load_flat(params0)
        self.model.to(self.device)
        self.params = [self.model.w(n) for n in self.model.names]
        self.ema = [p.detach().clone() for p in self.params]
        self.extra_emas = []
        self.opt = torch.optim.Adam(self.params, lr=recipe["lr"], betas=(recipe["beta1"], recipe["beta2"]), eps=recipe["eps"], foreach=True)
        self.levels = levels.to(self.device)  # uint8 [n, 1, 28, 28]
        self.step = 0
        self.t_max = 1.0

    def batch(self):
        r = self.r
        b = r["batch"]
        dev = self.device
        rows = torch.randint(0, self.levels.shape[0], (b,), device=dev)
        k = self.levels[rows].float()
        x1 = 2 * (k + torch.rand(k.shape, device=dev)) / 256 - 1
        u = torch.rand(b, 1, 1, 1, device=dev)
        t = (1 - (1 - u) ** 2 if r["timeSampling"] == "late" else u) * self.t_max
        x0 = torch.randn(k.shape, device=dev)
        return x1, t, x0

    def loss(self, x1, t, x0):
        a, bb, da, db = coefficients(self.r["interpolant"], t)
        xt = a * x0 + bb * x1
        target = da * x0 + db * x1
        v = self.model(xt, t.reshape(-1, 1))
        return ((v - target) ** 2).mean()

    def ema_rate(self, decay, s):
        """1 - d_s of step s for an EMA of decay `decay` (see the file comment)."""
        return 1 - min(decay, (1 + s) / (self.r["emaWarmup"] + s))

    def step_tensors(self, inputs=None, want_norm=False):
        """One step, left on the device: the loss and (clipped, or with want_norm) the pre-clip
        gradient norm as tensors, else None. Every EMA of self.extra_emas ([tensors, decay] pairs)
        is advanced beside self.ema."""
        x1, t, x0 = inputs if inputs is not None else self.batch()
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss(x1, t, x0)
        loss.backward()
        norm = None
        if self.r["clipNorm"] > 0 or want_norm:
            clip = self.r["clipNorm"] if self.r["clipNorm"] > 0 else float("inf")
            norm = torch.nn.utils.clip_grad_norm_(self.params, clip, foreach=True)
        for g in self.opt.param_groups:
            g["lr"] = learning_rate(self.r, self.step)
        self.opt.step()
        s = self.step
        with torch.no_grad():
            now = [p.detach() for p in self.params]
            torch._foreach_lerp_(self.ema, now, self.ema_rate(self.r["emaDecay"], s))
            for tensors, decay in self.extra_emas:
                torch._foreach_lerp_(tensors, now, self.ema_rate(decay, s))
        self.step += 1
        return loss.detach(), norm

    def train_step(self, inputs=None):
        return float(self.step_tensors(inputs)[0])

    @contextlib.contextmanager
    def weights(self, tensors):
        """The net with `tensors` (e.g. an EMA) as its parameters inside the block, its own after."""
        saved = [p.detach().clone() for p in self.params]
        with torch.no_grad():
            for p, e in zip(self.params, tensors):
                p.copy_(e)
        try:
            yield
        finally:
            with torch.no_grad():
                for p, s in zip(self.params, saved):
                    p.copy_(s)

    def flat(self, tensors):
        return torch.cat([x.detach().reshape(-1) for x in tensors]).cpu().numpy()

    @torch.no_grad()
    def sample(self, x0, method, steps, use_ema=True):
        """Generates from x0 [n, 1, 28, 28] by euler or rk4 from t = 0 to tMax in equal steps."""
        with self.weights(self.ema) if use_ema else contextlib.nullcontext():
            x = x0.clone()
            h = self.t_max / steps
            n = x.shape[0]
            v = lambda tt, xx: self.model(xx, torch.full((n, 1), tt, device=xx.device))
            for i in range(steps):
                t = i * h
                if method == "euler":
                    x = x + h * v(t, x)
                elif method == "rk4":
                    k1 = v(t, x)
                    k2 = v(t + h / 2, x + (h / 2) * k1)
                    k3 = v(t + h / 2, x + (h / 2) * k2)
                    k4 = v(t + h, x + h * k3)
                    x = x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
                else:
                    fail(f"solver '{method}' is not one of euler, rk4")
            return x


def check(trainer, d, net):
    """FlowLab's losses, parameters, EMA and euler samples, reproduced (see the file comment)."""
    spec = json.load(open(os.path.join(d, "check.json")))
    b = trainer.r["batch"]
    shape = (b, net["channels"], net["height"], net["width"])
    rd = lambda name: np.fromfile(os.path.join(d, name), dtype=np.float32)
    on = lambda name, shp: torch.from_numpy(rd(name).reshape(shp)).to(trainer.device)
    steps = [(on(f"x1_{s}.f32", shape), on(f"t_{s}.f32", (b, 1, 1, 1)), on(f"x0_{s}.f32", shape)) for s in range(spec["steps"])]
    p0 = rd("params0.f32")
    sn = spec["sample"]
    sshape = (sn["n"], net["channels"], net["height"], net["width"])
    got = trainer.sample(on("sample_x0.f32", sshape), "euler", sn["steps"], use_ema=False).cpu().numpy().reshape(-1)
    sample_err = float(np.abs(got - rd("sample_euler.f32")).max())
    if sample_err > SAMPLE_ATOL:
        fail(f"euler samples differ from FlowLab's by {sample_err:.2e} (tolerance {SAMPLE_ATOL})")
    losses = []
    for s, inputs in enumerate(steps):
        loss = trainer.train_step(inputs)
        want = spec["losses"][s]
        if abs(loss - want) > LOSS_RTOL * abs(want):
            fail(f"loss {loss} of step {s} on FlowLab's inputs differs from FlowLab's {want}: not the same net, interpolant, loss or optimizer")
        losses.append(loss)
    scale = sum(spec["lrs"])
    out = {"losses": losses, "flowlab_losses": spec["losses"]}
    for name, ours in (("params", trainer.params), ("ema", trainer.ema)):
        mine, theirs = trainer.flat(ours) - p0, rd(f"{name}{spec['steps']}.f32") - p0
        agree = float(np.mean(np.abs(mine - theirs) <= UPDATE_ATOL * scale))
        if agree < UPDATE_AGREE:
            fail(f"after {spec['steps']} steps only {agree:.1%} of the {name} changes agree with FlowLab's (to {UPDATE_ATOL} of the summed rates; need {UPDATE_AGREE:.0%}): not the same optimizer")
        out[f"{name}_agree"] = agree
        out[f"{name}_rel_err"] = float(np.linalg.norm(mine - theirs) / np.linalg.norm(theirs))
    out["sample_max_err"] = sample_err
    return out


def write_samples(path, x):
    y = torch.clamp((x + 1) / 2, 0, 1).numpy().astype(np.float32)
    np.save(path, y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipe", required=True)
    ap.add_argument("--data", required=True, help="FlowLab's training split, NPY [n, 1, 28, 28] of k / 255")
    ap.add_argument("--check", required=True, help="the check files of unetRecipe.ts writePeerCheck")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--budget", type=float, default=None, help="training seconds")
    ap.add_argument("--snapshots", default="", help="training seconds at which to sample, comma-separated")
    ap.add_argument("--out", default=None)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--sample-steps", type=int, default=20)
    ap.add_argument("--sample-batch", type=int, default=250)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    recipe = json.load(open(a.recipe))
    net = recipe["net"]
    levels = torch.from_numpy(np.rint(np.load(a.data) * 255).astype(np.uint8))
    if tuple(levels.shape[1:]) != (net["channels"], net["height"], net["width"]):
        fail(f"--data holds images of shape {tuple(levels.shape[1:])}, the net takes {(net['channels'], net['height'], net['width'])}")
    params0 = np.fromfile(os.path.join(a.check, "params0.f32"), dtype=np.float32)
    checker = Trainer(recipe, params0, levels)
    count = sum(p.numel() for p in checker.params)
    if count != params0.size:
        fail(f"the PyTorch U-Net has {count} parameters, FlowLab's {params0.size}")
    checked = check(checker, a.check, net)
    trainer = Trainer(recipe, params0, levels)
    ready = {"ready": True, "params": count, "torch": torch.__version__, "threads": torch.get_num_threads(), "images": int(levels.shape[0]), "check": checked}
    trainer.train_step()  # warm-up, not timed
    print(json.dumps(ready), flush=True)
    if a.serve:
        serve(trainer, net)
    elif a.budget is not None:
        timed(trainer, a, net, checked)


def serve(trainer, net):
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        if cmd[0] == "train":
            ms = []
            for _ in range(int(cmd[1])):
                t0 = time.perf_counter()
                trainer.train_step()
                ms.append((time.perf_counter() - t0) * 1000)
            print(json.dumps({"ms": ms}), flush=True)
        elif cmd[0] == "sample":
            method, steps, n = cmd[1], int(cmd[2]), int(cmd[3])
            x0 = torch.randn(n, net["channels"], net["height"], net["width"])
            t0 = time.perf_counter()
            trainer.sample(x0, method, steps)
            print(json.dumps({"ms": (time.perf_counter() - t0) * 1000}), flush=True)
        else:
            fail(f"unknown command '{cmd[0]}'")


def timed(trainer, a, net, checked):
    marks = sorted(float(s) for s in a.snapshots.split(",") if s.strip())
    if not a.out:
        fail("--out is required with --budget")
    os.makedirs(a.out, exist_ok=True)
    trained = 0.0
    shots = []
    losses = []
    for mark in marks + ([a.budget] if not marks or marks[-1] < a.budget else []):
        while trained < mark:
            t0 = time.perf_counter()
            losses.append(trainer.train_step())
            trained += time.perf_counter() - t0
        if mark not in marks:
            break
        t0 = time.perf_counter()
        x = torch.cat([trainer.sample(torch.randn(min(a.sample_batch, a.samples - i), net["channels"], net["height"], net["width"]), "rk4", a.sample_steps)
                       for i in range(0, a.samples, a.sample_batch)])
        path = os.path.join(a.out, f"torch-{mark:g}s.npy")
        write_samples(path, x)
        recent = losses[-50:]
        shot = {"seconds": mark, "trained_s": round(trained, 2), "steps": trainer.step, "loss": sum(recent) / len(recent), "sample_s": round(time.perf_counter() - t0, 2), "samples": path}
        shots.append(shot)
        print(json.dumps({"snapshot": shot}), flush=True)
    print(json.dumps({"done": True, "check": checked, "steps": trainer.step, "trained_s": round(trained, 2), "snapshots": shots}), flush=True)


if __name__ == "__main__":
    main()
