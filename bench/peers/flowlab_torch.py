"""
The PyTorch peer of FlowLab's default experiment, written the way a PyTorch user would write it.

Model: v(t, x) = MLP([x, t, sin(2 pi k t), cos(2 pi k t) for k = 1..F]), F = 4, three hidden
layers of width 256 with SiLU, output d. Interpolant (trigonometric):
    x_t = cos(pi t / 2) x0 + sin(pi t / 2) x1
    d/dt x_t = -pi/2 sin(pi t / 2) x0 + pi/2 cos(pi t / 2) x1
Loss: mean over the batch of |v(t, x_t) - d/dt x_t|^2 (summed over dimensions), Adam lr 1e-3.
x0 ~ N(0, I), t ~ U(0, 1), x1 gathered from a fixed data tensor (as FlowLab's session holds it).

Checkerboard: uniform on the squares of side 2 in [-4, 4]^2 where floor(x/2) + floor(y/2) is
even (8 squares, area 32).
"""
import math
import json
import os
import sys

import torch
from torch import nn

TIME_FREQUENCIES = 4
WIDTH = 256
DEPTH = 3
DIM = 2
LR = 1e-3
# Data points held in memory for the gather (FlowLab's training set size for toys).
DATA_POINTS = 100_000
CHECKER_HALF_WIDTH = 4.0
CHECKER_SQUARE = 2.0


def emit(obj):
    """The harness reads the last stdout line as the peer's JSON result."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def set_threads(n):
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set once in this process


def time_features(x, t, freqs=TIME_FREQUENCIES):
    """[x, t, sin(2 pi k t) for k=1..F, cos(2 pi k t) for k=1..F] along the last axis."""
    k = torch.arange(1, freqs + 1, dtype=x.dtype, device=x.device)
    angle = 2 * math.pi * t * k  # [N, F]
    return torch.cat([x, t, torch.sin(angle), torch.cos(angle)], dim=1)


class VelocityMLP(nn.Module):
    def __init__(self, dim=DIM, width=WIDTH, depth=DEPTH, freqs=TIME_FREQUENCIES):
        super().__init__()
        self.freqs = freqs
        sizes = [dim + 1 + 2 * freqs] + [width] * depth + [dim]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(nn.SiLU())
        self.net = nn.Sequential(*layers)

    def forward(self, x, t):
        return self.net(time_features(x, t, self.freqs))

    def linears(self):
        return [m for m in self.net if isinstance(m, nn.Linear)]


def matmul_macs(model):
    """sum over layers of in * out: one sample's multiply-adds in the forward matmuls."""
    return sum(l.in_features * l.out_features for l in model.linears())


def train_flops_per_step(model, batch):
    """6 * batch * sum(in * out): forward 2, backward 4 (input and weight gradients) per MAC."""
    return 6 * batch * matmul_macs(model)


def checkerboard(n, generator):
    """n points uniform on the black squares: floor(x/2) + floor(y/2) even, within [-4, 4]^2."""
    cells = torch.randint(0, 8, (n,), generator=generator)
    row = cells // 2  # 0..3
    col = 2 * (cells % 2) + (row % 2)  # 0..3 with row + col even
    u = torch.rand(n, 2, generator=generator) * CHECKER_SQUARE
    x = -CHECKER_HALF_WIDTH + CHECKER_SQUARE * col.float() + u[:, 0]
    y = -CHECKER_HALF_WIDTH + CHECKER_SQUARE * row.float() + u[:, 1]
    return torch.stack([x, y], dim=1)


def in_square_fraction(points):
    """Fraction of points inside [-4, 4]^2 with floor(x/2) + floor(y/2) even."""
    x, y = points[:, 0], points[:, 1]
    inside = (x.abs() <= CHECKER_HALF_WIDTH) & (y.abs() <= CHECKER_HALF_WIDTH)
    parity = (torch.floor(x / CHECKER_SQUARE) + torch.floor(y / CHECKER_SQUARE)).remainder(2) == 0
    return float((inside & parity).float().mean())


def make_step(model, opt, data, batch, generator):
    """One optimizer step of the trigonometric-interpolant regression; returns the loss tensor."""
    half_pi = math.pi / 2

    def step():
        idx = torch.randint(0, data.shape[0], (batch,), generator=generator)
        x1 = data[idx]
        x0 = torch.randn(batch, data.shape[1], generator=generator)
        t = torch.rand(batch, 1, generator=generator)
        a = torch.cos(half_pi * t)
        b = torch.sin(half_pi * t)
        xt = a * x0 + b * x1
        target = half_pi * (a * x1 - b * x0)
        loss = (model(xt, t) - target).pow(2).sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.detach()

    return step


def new_setup(seed, batch):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    data = checkerboard(DATA_POINTS, generator)
    model = VelocityMLP()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    return model, opt, make_step(model, opt, data, batch, generator)


@torch.inference_mode()
def rk4(model, x, steps):
    """Classical RK4 from t=0 to t=1 with `steps` equal steps; returns (x1, nfe)."""
    n = x.shape[0]
    h = 1.0 / steps
    nfe = 0
    for i in range(steps):
        t0 = i * h
        def f(tt, xx):
            return model(xx, torch.full((n, 1), tt, dtype=xx.dtype))
        k1 = f(t0, x)
        k2 = f(t0 + h / 2, x + (h / 2) * k1)
        k3 = f(t0 + h / 2, x + (h / 2) * k2)
        k4 = f(t0 + h, x + h * k3)
        x = x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
        nfe += 4
    return x, nfe


def torch_version_info():
    return {"torch": torch.__version__, "threads": torch.get_num_threads()}


def env_int(name, default):
    v = os.environ.get(name)
    return int(v) if v else default
