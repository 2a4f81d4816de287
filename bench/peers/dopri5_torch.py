"""
Dormand-Prince 5(4) with adaptive steps in plain PyTorch, used when torchdiffeq is not installed.
Same conventions as torchdiffeq's dopri5: error norm = RMS over all entries of
err / (atol + rtol * max(|y|, |y_new|)), step factor = clip(0.9 * norm^(-1/5), 0.2, 10),
initial step from Hairer's heuristic, FSAL (the last stage is the next step's first).
"""
import torch

C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1]
A = [
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
]
B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]
E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]
SAFETY, MIN_FACTOR, MAX_FACTOR = 0.9, 0.2, 10.0


def rms(x):
    return float(x.pow(2).mean().sqrt())


@torch.inference_mode()
def dopri5(f, y, t0=0.0, t1=1.0, rtol=1e-5, atol=1e-5):
    """Integrates dy/dt = f(t, y) from t0 to t1; returns (y(t1), nfe, accepted, rejected)."""
    nfe = 0
    k1 = f(t0, y)
    nfe += 1
    scale = atol + rtol * y.abs()
    d0, d1 = rms(y / scale), rms(k1 / scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    y1 = y + h0 * k1
    k1b = f(t0 + h0, y1)
    nfe += 1
    d2 = rms((k1b - k1) / scale) / h0
    h1 = max(1e-6, h0 * 1e-3) if max(d1, d2) <= 1e-15 else (0.01 / max(d1, d2)) ** (1 / 5)
    h = min(100 * h0, h1, t1 - t0)
    t = t0
    accepted = rejected = 0
    while t < t1:
        h = min(h, t1 - t)
        ks = [k1]
        for s in range(5):
            ys = y + h * sum(a * k for a, k in zip(A[s], ks))
            ks.append(f(t + C[s + 1] * h, ys))
        y_new = y + h * sum(b * k for b, k in zip(B, ks))
        k7 = f(t + h, y_new)
        nfe += 6
        ks.append(k7)
        err = h * sum(e * k for e, k in zip(E, ks))
        norm = rms(err / (atol + rtol * torch.maximum(y.abs(), y_new.abs())))
        if norm <= 1:
            t += h
            y, k1 = y_new, k7
            accepted += 1
        else:
            rejected += 1
        factor = MAX_FACTOR if norm == 0 else min(MAX_FACTOR, max(MIN_FACTOR, SAFETY * norm ** (-1 / 5)))
        h *= factor
    return y, nfe, accepted, rejected
