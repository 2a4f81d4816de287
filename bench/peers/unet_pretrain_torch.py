"""
Trains a FlowLab MNIST experiment with the PyTorch peer on a GPU, for a pretrained model that a
2-core CPU would need hours for (scripts/gpuPretrain.ts prepares the jobs, scripts/importPeerRun.ts
records the result as a FlowLab run, scripts/buildPretrained.ts measures and ships it).

The training is unet_train_torch.py's Trainer: FlowLab's net, loss, Adam, schedule, clipping and
EMA, from FlowLab's initial parameters of the config's seed, on FlowLab's training split; only the
random streams differ (torch's generator instead of FlowLab's hash). A job folder holds
config.json (the FlowLab config), recipe.json (unetRecipe.ts peerRecipe), params0.f32 and, when
present, check/ (unetRecipe.ts writePeerCheck): then the peer first proves on this device that it
computes FlowLab's losses, update and samples, and stops if it does not.

--steps auto fixes the step count after the first 150 steps (inside the warmup, so every rate
the schedule gives is the one the final config implies) from the measured speed, so the cosine
schedule ends inside --budget seconds. A second EMA with decay --ema-alt is kept beside the
recipe's (the EMA does not touch the training, so FlowLab with that decay would train the same
net); the one whose samples the classifier labels confidently more often is written.

Samples are drawn as FlowLab draws an image run's (sde.ts: em, 100 steps, eps(t) = eps w(t) with
the taper on the Gaussian part's variance) and scored with models/mnist-classifier.onnx by
onnxruntime (confident: max softmax >= 0.9, after the pixel round trip of `flowlab sample --out`).

usage:
  python3 unet_pretrain_torch.py --job DIR --data train.npy --device cuda --budget 420 --steps auto --out OUT
writes OUT/run.json (scripts/importPeerRun.ts reads it), params.f32, ema.f32, m.f32, v.f32
(FlowLab's flat layout) and OUT/score.json.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unet_train_torch import Trainer, check, coefficients, fail  # noqa: E402

# sde.ts: the noise is off below this Gaussian-part variance and in full above the next
SDE_VARIANCE_OFF = 0.01
SDE_VARIANCE_FULL = 0.04
SAMPLE_STEPS = 100
CONFIDENT = 0.9
# steps timed before --steps auto fixes the count (after a warm-up of AUTO_FROM steps)
AUTO_FROM, AUTO_AT = 30, 150


def taper(it, t, eps):
    """eps(t) = eps w(t) of sde.ts: w ramps from 0 to 1 as the Gaussian part's variance a(t)^2 goes from 0.01 to 0.04."""
    a = float(coefficients(it, torch.tensor(t, dtype=torch.float64))[0])
    return eps * min(max((a * a - SDE_VARIANCE_OFF) / (SDE_VARIANCE_FULL - SDE_VARIANCE_OFF), 0.0), 1.0)


def sde_drift(it, t, x, v, eps_t):
    """v + eps(t) s(t, x) with the score read off v (score.ts): s = -(b v - b' x) / D, D = b a a' - a^2 b'."""
    if eps_t <= 1e-30:
        return v
    a, b, da, db = (float(c) for c in coefficients(it, torch.tensor(t, dtype=torch.float64)))
    return v + eps_t * (db * x - b * v) / (b * a * da - a * a * db)


def em_sample(trainer, ema, x0, eps, steps=SAMPLE_STEPS, seed=0):
    """FlowLab's em sampler (sde.ts) on the weights `ema`, from x0 at t = 0 to tMax:
    X' = X + h (v + eps(t) s) + sqrt(h (eps(t) + eps(t + h))) xi."""
    it = trainer.r["interpolant"]
    gen = torch.Generator(device=x0.device).manual_seed(seed)
    with torch.no_grad(), trainer.weights(ema):
        x = x0.clone()
        h = trainer.t_max / steps
        n = x.shape[0]
        for k in range(steps):
            t = k * h
            v = trainer.model(x, torch.full((n, 1), t, device=x.device))
            e0, e1 = taper(it, t, eps), taper(it, t + h, eps)
            sigma = math.sqrt(h * (e0 + e1))
            x = x + h * sde_drift(it, t, x, v, e0)
            if sigma > 0:
                x = x + sigma * torch.randn(x.shape, generator=gen, device=x.device)
        return x


class Scorer:
    """The shipped digit classifier on onnxruntime (CPU)."""

    def __init__(self, path):
        import onnxruntime as ort
        self.session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])

    def __call__(self, x):
        y = torch.clamp((x + 1) / 2, 0, 1).cpu().numpy()
        levels = np.rint(255 * y)
        inp = (2 * (levels + 0.5) / 256 - 1).astype(np.float32)
        logits = self.session.run(["logits"], {"x": inp})[0]
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        conf = p.max(1)
        classes = np.bincount(p.argmax(1), minlength=10) / len(p)
        return {"confident": float(np.mean(conf >= CONFIDENT)), "classMin": float(classes.min()), "classMax": float(classes.max())}


def score(trainer, ema, scorer, n, eps_list, seed):
    net = trainer.r["net"]
    x0 = torch.randn((n, net["channels"], net["height"], net["width"]), generator=torch.Generator().manual_seed(seed)).to(trainer.device)
    out = {}
    for eps in eps_list:
        out[str(eps)] = scorer(em_sample(trainer, ema, x0, eps, seed=seed + 1))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job", required=True)
    ap.add_argument("--data", required=True, help="FlowLab's training split: NPY [n, 1, 28, 28], uint8 levels or float k / 255")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--budget", type=float, required=True, help="training seconds")
    ap.add_argument("--steps", default="auto", help="'auto', or a whole number of steps")
    ap.add_argument("--ema-alt", type=float, default=0.9999)
    ap.add_argument("--classifier", default=None)
    ap.add_argument("--score-n", type=int, default=1000)
    ap.add_argument("--eps", default="1.5,3")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    os.makedirs(a.out, exist_ok=True)
    config = json.load(open(os.path.join(a.job, "config.json")))
    recipe = json.load(open(os.path.join(a.job, "recipe.json")))
    net = recipe["net"]
    raw = np.load(a.data)
    levels = torch.from_numpy(raw if raw.dtype == np.uint8 else np.rint(raw * 255).astype(np.uint8))
    params0 = np.fromfile(os.path.join(a.job, "params0.f32"), dtype=np.float32)
    checked = None
    if os.path.isdir(os.path.join(a.job, "check")):
        try:
            checked = check(Trainer(recipe, params0, levels, a.device), os.path.join(a.job, "check"), net)
        except SystemExit:
            # the reason is on stderr; the training goes on and its record says the check failed
            checked = {"failed": True}
    tr = Trainer(recipe, params0, levels, a.device)
    alt = [p.detach().clone() for p in tr.params]
    tr.extra_emas.append((alt, a.ema_alt))
    dev = tr.device
    sync = (lambda: torch.cuda.synchronize()) if dev.type == "cuda" else (lambda: None)
    print(json.dumps({"job": a.job, "params": int(params0.size), "device": str(dev), "check": checked}), flush=True)

    losses, norms, wall = [], [], []
    pending = []  # the steps' [loss, norm] tensors since the last read-back (one sync per read)

    def drain():
        sync()
        if not pending:
            return np.zeros((0, 2))
        got = torch.stack(pending).cpu().numpy()
        pending.clear()
        losses.extend(float(v) for v in got[:, 0])
        norms.extend(float(v) for v in got[:, 1])
        return got
    start = time.perf_counter()
    warm = recipe["warmup"]
    if a.steps != "auto":
        # a fixed count (a smoke test): the warmup capped at a fifth of it, as FlowLab's warmupSteps
        recipe["steps"] = int(a.steps)
        recipe["warmup"] = warm = min(config["train"]["warmupSteps"], int(recipe["steps"] * 0.2))
    steps = recipe["steps"]
    t_auto = None
    while tr.step < steps:
        loss, norm = tr.step_tensors(want_norm=True)
        pending.append(torch.stack([loss, norm]))
        if tr.step % 100 == 0 or tr.step == steps or tr.step in (AUTO_FROM, AUTO_AT):
            got = drain()
            elapsed = time.perf_counter() - start
            wall.append([tr.step, round(elapsed, 3)])
            if not all(math.isfinite(v) for v in got[:, 0]):
                fail(f"the loss is not finite at step {tr.step}")
            if tr.step == AUTO_FROM:
                t_auto = elapsed
            if a.steps == "auto" and tr.step == AUTO_AT:
                rate = (AUTO_AT - AUTO_FROM) / (elapsed - t_auto)
                steps = int(rate * (a.budget - elapsed) * 0.93) // 100 * 100
                if steps < 5 * warm:
                    fail(f"only {steps} steps fit in {a.budget} s at {rate:.1f} steps/s; the warmup of {warm} needs at least {5 * warm}")
                if AUTO_AT >= warm:
                    fail(f"--steps auto needs the warmup ({warm}) longer than the {AUTO_AT} steps it times")
                recipe["steps"] = steps
                print(json.dumps({"rate": round(rate, 2), "steps": steps}), flush=True)
            if tr.step % 2000 == 0:
                print(json.dumps({"step": tr.step, "of": steps, "s": round(elapsed, 1), "loss": float(np.mean(losses[-100:]))}), flush=True)
            if elapsed > a.budget + 20:
                print(json.dumps({"stopped": tr.step, "reason": "past the time budget"}), flush=True)
                break
    drain()
    train_s = time.perf_counter() - start
    if not wall or wall[-1][0] != tr.step:
        wall.append([tr.step, round(train_s, 3)])

    scores = {}
    chosen = recipe["emaDecay"]
    if a.classifier:
        try:
            scorer = Scorer(a.classifier)
            eps_list = [float(e) for e in a.eps.split(",")]
            scores = {str(recipe["emaDecay"]): score(tr, tr.ema, scorer, a.score_n, eps_list, 7), str(a.ema_alt): score(tr, alt, scorer, a.score_n, eps_list, 7)}
            best = lambda d: max(r["confident"] for r in scores[d].values())
            chosen = max((recipe["emaDecay"], a.ema_alt), key=lambda d: best(str(d)))
        except Exception as e:  # the weights are written whatever the scoring does
            scores = {"failed": f"{type(e).__name__}: {e}"}
    ema = tr.ema if chosen == recipe["emaDecay"] else alt
    config["train"]["steps"] = steps
    config["train"]["emaDecay"] = chosen
    run = {
        "config": config, "stepsDone": tr.step, "trainSeconds": round(train_s, 2),
        "device": torch.cuda.get_device_name() if dev.type == "cuda" else "CPU", "torch": torch.__version__,
        "peer": "bench/peers/unet_pretrain_torch.py", "losses": losses, "gradNorms": norms, "wall": wall,
        **({"check": checked} if checked else {}),
    }
    json.dump(run, open(os.path.join(a.out, "run.json"), "w"))
    tr.flat(tr.params).tofile(os.path.join(a.out, "params.f32"))
    tr.flat(ema).tofile(os.path.join(a.out, "ema.f32"))
    state = [tr.opt.state[p] for p in tr.params]
    tr.flat([st["exp_avg"] for st in state]).tofile(os.path.join(a.out, "m.f32"))
    tr.flat([st["exp_avg_sq"] for st in state]).tofile(os.path.join(a.out, "v.f32"))
    summary = {"job": os.path.basename(os.path.normpath(a.job)), "steps": tr.step, "trainSeconds": round(train_s, 2), "stepsPerSec": round(tr.step / train_s, 2),
               "finalLoss": float(np.mean(losses[-500:])), "scores": scores, "emaChosen": chosen, "params": int(params0.size), "check": checked}
    json.dump(summary, open(os.path.join(a.out, "score.json"), "w"))
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
