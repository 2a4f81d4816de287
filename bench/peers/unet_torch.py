"""
The PyTorch peer of FlowLab's U-Net step (bench/flowlab/unetStepModel.ts): the same DDPM-style
U-Net (src-main/engine/nets/unet.ts), layer for layer and parameter for parameter, the same
batch and loss, mean((v(t, x) - x)^2) over batch and pixels, then loss.backward(). Eager mode,
float32, on the CPU with the given thread count.

Parameters are created in FlowLab's flat layout order, so a FlowLab parameter vector loads into
this model (--check): the peer then prints its loss on FlowLab's inputs, which must equal
FlowLab's.

usage: python3 unet_torch.py --threads 2 --batch 64 [--check DIR] [--adam]
Reads commands from stdin, one per line, and answers each with one JSON line:
  run K      K timed steps -> {"ms": [per-step ms]}
  quit
The first line printed is {"ready": true, "params": N, "torch": version, "loss": (with --check)}.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

MNIST_UNET = dict(channels=1, height=28, width=28, base=32, mults=[1, 2, 2], blocks=1, attention=True, freqs=4)
NORM_GROUPS = 32
EPS = 1e-5


def blocks(spec):
    """The blocks in forward order, as unetBlocks in unet.ts."""
    chs = [spec["base"] * m for m in spec["mults"]]
    down, skips, ch = [], [spec["base"]], spec["base"]
    for level, c in enumerate(chs):
        for b in range(spec["blocks"]):
            down.append(("res", f"down{level}.res{b}", ch, c))
            ch = c
            skips.append(ch)
        if level + 1 < len(chs):
            down.append(("down", f"down{level}.sample", ch, ch))
            skips.append(ch)
    middle = [("res", "mid.res0", ch, ch)] + ([("attn", "mid.attn", ch, ch)] if spec["attention"] else []) + [("res", "mid.res1", ch, ch)]
    up = []
    for level in range(len(chs) - 1, -1, -1):
        for b in range(spec["blocks"] + 1):
            up.append(("res", f"up{level}.res{b}", ch + skips.pop(), chs[level]))
            ch = chs[level]
        if level > 0:
            up.append(("up", f"up{level}.sample", ch, ch))
    return down, middle, up


class Unet(torch.nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        self.names = []
        self.p = torch.nn.ParameterDict()
        e = 4 * spec["base"]

        def add(name, shape, fan_in, init):
            t = torch.empty(shape)
            if init == "one":
                t.fill_(1.0)
            elif init == "zero":
                t.zero_()
            else:
                bound = 1 / math.sqrt(fan_in)
                t.uniform_(-bound, bound)
            self.p[name.replace(".", "_")] = torch.nn.Parameter(t)
            self.names.append(name)

        def conv(name, cin, cout, k):
            add(f"{name}.w", (cout, cin, k, k), cin * k * k, "u")
            add(f"{name}.b", (cout,), cin * k * k, "u")

        def dense(name, fin, fout):
            add(f"{name}.w", (fin, fout), fin, "u")
            add(f"{name}.b", (fout,), fin, "u")

        def norm(name, ch):
            add(f"{name}.scale", (ch,), 1, "one")
            add(f"{name}.shift", (ch,), 1, "zero")

        dense("time0", 1 + 2 * spec["freqs"], e)
        dense("time1", e, e)
        conv("in", spec["channels"], spec["base"], 3)
        self.down, self.middle, self.up = blocks(spec)
        for kind, name, cin, cout in self.down + self.middle + self.up:
            if kind == "res":
                norm(f"{name}.norm0", cin)
                conv(f"{name}.conv0", cin, cout, 3)
                dense(f"{name}.time", e, cout)
                norm(f"{name}.norm1", cout)
                conv(f"{name}.conv1", cout, cout, 3)
                if cin != cout:
                    conv(f"{name}.skip", cin, cout, 1)
            elif kind == "attn":
                norm(f"{name}.norm", cin)
                conv(f"{name}.qkv", cin, 3 * cin, 1)
                conv(f"{name}.proj", cin, cin, 1)
            else:
                conv(f"{name}.conv", cin, cin, 3)
        norm("out.norm", spec["base"] * spec["mults"][0])
        conv("out", spec["base"] * spec["mults"][0], spec["channels"], 3)

    def w(self, name):
        return self.p[name.replace(".", "_")]

    def load_flat(self, flat):
        offset = 0
        with torch.no_grad():
            for name in self.names:
                t = self.w(name)
                t.copy_(torch.from_numpy(flat[offset:offset + t.numel()].reshape(t.shape)))
                offset += t.numel()
        assert offset == flat.size, (offset, flat.size)

    def forward(self, x, t):
        w = self.w
        conv = lambda name, v, pad, stride=1: F.conv2d(v, w(f"{name}.w"), w(f"{name}.b"), stride=stride, padding=pad)
        norm = lambda name, v: F.group_norm(v, math.gcd(v.shape[1], NORM_GROUPS), w(f"{name}.scale"), w(f"{name}.shift"), EPS)
        dense = lambda name, v: torch.addmm(w(f"{name}.b"), v, w(f"{name}.w"))
        freqs = 2 * math.pi * torch.arange(1, self.spec["freqs"] + 1, dtype=t.dtype, device=t.device)
        arg = t * freqs
        emb = F.silu(dense("time1", F.silu(dense("time0", torch.cat([t, torch.sin(arg), torch.cos(arg)], 1)))))

        def run(block, v):
            kind, name, cin, cout = block
            if kind == "res":
                h = conv(f"{name}.conv0", F.silu(norm(f"{name}.norm0", v)), 1)
                h = h + dense(f"{name}.time", emb)[:, :, None, None]
                h = conv(f"{name}.conv1", F.silu(norm(f"{name}.norm1", h)), 1)
                return (v if cin == cout else conv(f"{name}.skip", v, 0)) + h
            if kind == "attn":
                n, c, hh, ww = v.shape
                qkv = conv(f"{name}.qkv", norm(f"{name}.norm", v), 0)
                q, k, val = (qkv[:, i * c:(i + 1) * c].reshape(n, c, hh * ww) for i in range(3))
                att = torch.softmax(torch.bmm(q.transpose(1, 2), k) / math.sqrt(c), -1)
                out = torch.bmm(val, att.transpose(1, 2)).reshape(n, c, hh, ww)
                return v + conv(f"{name}.proj", out, 0)
            if kind == "down":
                return conv(f"{name}.conv", v, 1, 2)
            return conv(f"{name}.conv", F.interpolate(v, scale_factor=2, mode="nearest"), 1)

        h = conv("in", x, 1)
        skips = [h]
        for b in self.down:
            h = run(b, h)
            skips.append(h)
        for b in self.middle:
            h = run(b, h)
        for b in self.up:
            h = run(b, torch.cat([h, skips.pop()], 1) if b[0] == "res" else h)
        return conv("out", F.silu(norm("out.norm", h)), 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--check", default=None, help="a folder with params.f32, x.f32, t.f32 written by FlowLab")
    ap.add_argument("--adam", action="store_true", help="add an Adam update to each step")
    ap.add_argument("--params", type=int, default=None, help="assert this parameter count")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    spec = MNIST_UNET
    model = Unet(spec)
    count = sum(p.numel() for p in model.parameters())
    if a.params is not None:
        assert count == a.params, f"PyTorch U-Net has {count} parameters, FlowLab's {a.params}"
    shape = (a.batch, spec["channels"], spec["height"], spec["width"])
    pixels = int(np.prod(shape))
    x = torch.from_numpy(np.sin(np.arange(pixels, dtype=np.float64)).astype(np.float32).reshape(shape))
    t = torch.arange(a.batch, dtype=torch.float32).reshape(a.batch, 1) / a.batch
    ready = {"ready": True, "params": count, "torch": torch.__version__, "threads": torch.get_num_threads()}
    if a.check:
        model.load_flat(np.fromfile(f"{a.check}/params.f32", dtype=np.float32))
        x = torch.from_numpy(np.fromfile(f"{a.check}/x.f32", dtype=np.float32).reshape(shape))
        t = torch.from_numpy(np.fromfile(f"{a.check}/t.f32", dtype=np.float32).reshape(a.batch, 1))
        with torch.no_grad():
            ready["loss"] = float(((model(x, t) - x) ** 2).mean())
    opt = torch.optim.Adam(model.parameters(), lr=1e-4) if a.adam else None

    def step():
        model.zero_grad(set_to_none=True)
        loss = ((model(x, t) - x) ** 2).mean()
        loss.backward()
        if opt:
            opt.step()
        return loss

    step()
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        times = []
        for _ in range(int(cmd[1])):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        print(json.dumps({"ms": times}), flush=True)


if __name__ == "__main__":
    main()
