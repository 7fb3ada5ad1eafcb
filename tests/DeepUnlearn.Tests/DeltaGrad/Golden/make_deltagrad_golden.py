#!/usr/bin/python3
"""Golden DeltaGrad runs for DeltaGradGoldenTests, from an independent NumPy implementation.

Run with Debian's Python (python3-numpy):
    /usr/bin/python3 tests/DeepUnlearn.Tests/DeltaGrad/Golden/make_deltagrad_golden.py
It writes deltagrad.json next to this script.

The reference follows the DeltaGrad paper (Wu, Dobriban, Davidson, ICML 2020, Algorithm 1) with the
choices DeepUnlearn documents: plain SGD/GD w <- w - lr (g + lam w) on mean cross entropy of softmax
regression; exact steps for t <= j0 or (t - j0) % T0 == 0 (or while the history is empty); history pairs
s = w_I - w_t, y = grad_B(w_I) - g_t + lam s (kept when s.y > 1e-10 s.s, newest m); between exact steps
grad_B(w_I) ~ g_t + B s - lam s with B the *dense* BFGS recursion from sigma I (sigma = s.y / s.s of the
newest pair), then the deleted samples' exact gradients removed (added samples' added). It shares no
code with the C# implementation (which uses the compact L-BFGS form), so agreement checks both.
Added samples are placed per epoch into one batch drawn with SplitMix64 + Lemire's bounded draw.
"""
import json
import os

import numpy as np

M64 = 2**64


class SplitMix64:
    def __init__(self, seed):
        self.x = seed

    def next(self):
        self.x = (self.x + 0x9E3779B97F4A7C15) % M64
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % M64
        return z ^ (z >> 31)

    def below(self, bound):
        threshold = (M64 - bound) % bound
        while True:
            product = self.next() * bound
            if product % M64 >= threshold:
                return product >> 64


def gradient(w, x, y, k):
    d = x.shape[1]
    weight = w[: k * d].reshape(k, d)
    bias = w[k * d:]
    logits = x @ weight.T + bias
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)
    return np.concatenate([(p.T @ x).ravel(), p.sum(axis=0)])


def dense_bfgs(pairs_s, pairs_y):
    sigma = pairs_y[-1] @ pairs_s[-1] / (pairs_s[-1] @ pairs_s[-1])
    b = sigma * np.eye(len(pairs_s[0]))
    for s, y in zip(pairs_s, pairs_y):
        bs = b @ s
        b = b - np.outer(bs, bs) / (s @ bs) + np.outer(y, y) / (y @ s)
    return b


def train(w0, x, y, k, batches, lr, lam):
    w = w0.copy()
    path = []
    for batch in batches:
        if len(batch) == 0:
            path.append(None)
            continue
        g = gradient(w, x[batch], y[batch], k)
        path.append((w.copy(), g))
        w = w - lr * (g + lam * w)
    return w, path


def addition_placement(batches, steps_per_epoch, added, seed):
    rng = SplitMix64(seed)
    placed = [[] for _ in batches]
    for start in range(0, len(batches), steps_per_epoch):
        count = min(steps_per_epoch, len(batches) - start)
        for i in sorted(added):
            placed[start + rng.below(count)].append(i)
    if steps_per_epoch == 1:
        placed = [sorted(added) for _ in batches]
    return placed


def deltagrad(x, y, k, batches, path, lr, lam, kind, ids, placed, t0, j0, m):
    w = path[0][0].copy()
    hist_s, hist_y = [], []
    for t, batch in enumerate(batches):
        removed = [i for i in batch if i in ids] if kind == "deletion" else []
        kept = [i for i in batch if i not in ids] if kind == "deletion" else list(batch)
        added = placed[t] if kind == "addition" else []
        changed = kept + added
        if len(changed) == 0:
            continue
        wt, gt = path[t]
        s = w - wt
        big_b = len(batch)
        if t <= j0 or (t - j0) % t0 == 0 or not hist_s:
            if kind == "deletion":
                gc = gradient(w, x[kept], y[kept], k)
                full = gc if not removed else (len(kept) * gc + len(removed) * gradient(w, x[removed], y[removed], k)) / big_b
            else:
                full = gradient(w, x[batch], y[batch], k)
                gc = full if not added else (big_b * full + len(added) * gradient(w, x[added], y[added], k)) / (big_b + len(added))
            yy = full - gt + lam * s
            if s @ s > 0 and s @ yy > 1e-10 * (s @ s):
                hist_s.append(s)
                hist_y.append(yy)
                hist_s, hist_y = hist_s[-m:], hist_y[-m:]
        else:
            estimate = gt + dense_bfgs(hist_s, hist_y) @ s - lam * s
            if kind == "deletion":
                r = len(removed)
                gc = estimate if r == 0 else (big_b * estimate - r * gradient(w, x[removed], y[removed], k)) / (big_b - r)
            else:
                a = len(added)
                gc = estimate if a == 0 else (big_b * estimate + a * gradient(w, x[added], y[added], k)) / (big_b + a)
        w = w - lr * (gc + lam * w)
    return w


def make_case(name, rng, n, d, k, batch_size, epochs, lr, lam, kind, ids, t0, j0, m, placement_seed=0):
    centres = rng.normal(size=(k, d)) * 1.5
    y = rng.integers(0, k, size=n)
    x = centres[y] + rng.normal(size=(n, d))
    w0 = rng.uniform(-0.3, 0.3, size=k * d + k)
    training = [i for i in range(n) if kind == "deletion" or i not in ids]
    if batch_size == 0:
        batches = [list(training) for _ in range(epochs)]
        steps_per_epoch = 1
    else:
        batches = []
        for _ in range(epochs):
            order = list(rng.permutation(training))
            chunk = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
            batches.extend([[int(v) for v in c] for c in chunk])
        steps_per_epoch = len(chunk)
    w_orig, path = train(w0, x, y, k, batches, lr, lam)
    placed = addition_placement(batches, steps_per_epoch, ids, placement_seed) if kind == "addition" else None
    w_dg = deltagrad(x, y, k, batches, path, lr, lam, kind, set(ids), placed, t0, j0, m)
    if kind == "deletion":
        retrain_batches = [[i for i in b if i not in ids] for b in batches]
    else:
        retrain_batches = [b + p for b, p in zip(batches, placed)]
    w_retrain, _ = train(w0, x, y, k, retrain_batches, lr, lam)
    return {
        "name": name, "n": n, "features": d, "classes": k, "kind": kind, "ids": sorted(int(i) for i in ids),
        "placement_seed": placement_seed, "steps_per_epoch": steps_per_epoch, "learning_rate": lr,
        "weight_decay": lam, "period": t0, "burn_in": j0, "history": m,
        "x": x.ravel().tolist(), "y": [int(v) for v in y], "w0": w0.tolist(), "batches": batches,
        "w_original": w_orig.tolist(), "w_deltagrad": w_dg.tolist(), "w_retrain": w_retrain.tolist(),
    }


def main():
    rng = np.random.default_rng(20261122)
    cases = [
        make_case("gd-deletion", rng, 40, 3, 3, 0, 25, 0.3, 0.02, "deletion", [2, 7, 19], 4, 3, 3),
        make_case("sgd-deletion", rng, 40, 3, 3, 8, 5, 0.3, 0.02, "deletion", [1, 5, 6, 30], 3, 2, 2),
        make_case("gd-addition", rng, 40, 3, 3, 0, 25, 0.3, 0.02, "addition", [4, 22, 35], 5, 4, 2, placement_seed=0),
        make_case("sgd-addition", rng, 40, 3, 3, 9, 5, 0.3, 0.02, "addition", [3, 11, 27], 3, 2, 2, placement_seed=5),
    ]
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "deltagrad.json"), "w") as f:
        json.dump({"numpy_version": np.__version__, "cases": cases}, f)


if __name__ == "__main__":
    main()
