#!/usr/bin/python3
"""Golden values for the functional NN tests, from an implementation independent of libtorch.

Run from the repository root with Debian's Python (NumPy only, no torch: the point is that these
numbers do not come from the library under test):

    /usr/bin/python3 tests/DeepUnlearn.Torch.Tests/Golden/make_nn_golden.py

It writes tests/DeepUnlearn.Torch.Tests/Golden/nn.json: every case carries its fixed inputs and the
expected outputs (float64, shortest round-trip repr). The C# tests (Functional/*GoldenTests) compare
the binding against them to ~1e-10.

Definitions follow PyTorch's documentation:
- conv2d: cross-correlation, out[n, o, i, j] = b[o] + sum_{c, ki, kj} x[n, g*Cg + c, i*sh - ph + ki*dh,
  j*sw - pw + kj*dw] * w[o, c, ki, kj] with g = o // (O / groups); written as direct loops.
- batch_norm, training: normalise with the batch mean and the biased batch variance; update
  running = (1 - momentum) * running + momentum * batch statistic, using the UNBIASED variance.
  Eval: normalise with the running statistics.
- cross_entropy with label smoothing eps over C classes, log p = log_softmax(x):
  class indices: (1 - eps) * NLL + eps/C * sum_c -w_c log p_c, with 'mean' dividing both terms by
  sum_i w[y_i] (N without weights); probabilities: targets become (1 - eps) * t + eps / C and the
  loss is -sum_c w_c t_c log p_c, 'mean' dividing by N.
"""
import json
import os
import platform

import numpy as np

RNG = np.random.default_rng(20240917)


def tensor(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def index_tensor(a):
    a = np.asarray(a, dtype=np.int64)
    return {"shape": list(a.shape), "data": [int(v) for v in a.reshape(-1)]}


def conv2d(x, w, b, stride, padding, dilation, groups):
    n_batch, c_in, h, wd = x.shape
    c_out, c_per_group, kh, kw = w.shape
    assert c_in == c_per_group * groups and c_out % groups == 0
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out_per_group = c_out // groups
    out = np.zeros((n_batch, c_out, oh, ow))
    for n in range(n_batch):
        for o in range(c_out):
            g = o // out_per_group
            for i in range(oh):
                for j in range(ow):
                    s = 0.0 if b is None else b[o]
                    for c in range(c_per_group):
                        for ki in range(kh):
                            for kj in range(kw):
                                hi = i * sh - ph + ki * dh
                                wj = j * sw - pw + kj * dw
                                if 0 <= hi < h and 0 <= wj < wd:
                                    s += x[n, g * c_per_group + c, hi, wj] * w[o, c, ki, kj]
                    out[n, o, i, j] = s
    return out


def conv_case(name, x_shape, w_shape, bias, stride, padding, dilation, groups):
    x = RNG.standard_normal(x_shape)
    w = RNG.standard_normal(w_shape)
    b = RNG.standard_normal(w_shape[0]) if bias else None
    return {
        "name": name,
        "stride": list(stride),
        "padding": list(padding),
        "dilation": list(dilation),
        "groups": groups,
        "input": tensor(x),
        "weight": tensor(w),
        "bias": None if b is None else tensor(b),
        "output": tensor(conv2d(x, w, b, stride, padding, dilation, groups)),
    }


def batch_norm_case(name, x_shape, training, momentum, eps):
    c = x_shape[1]
    x = RNG.standard_normal(x_shape) * 2.0 + 0.5
    weight = RNG.uniform(0.5, 1.5, c)
    bias = RNG.standard_normal(c)
    running_mean = RNG.standard_normal(c) * 0.1
    running_var = RNG.uniform(0.5, 2.0, c)
    shape = [1, c] + [1] * (len(x_shape) - 2)
    axes = tuple(i for i in range(len(x_shape)) if i != 1)
    if training:
        mean = x.mean(axis=axes)
        var_biased = x.var(axis=axes)
        count = x.size // c
        var_unbiased = var_biased * count / (count - 1)
        y = (x - mean.reshape(shape)) / np.sqrt(var_biased.reshape(shape) + eps)
        mean_after = (1 - momentum) * running_mean + momentum * mean
        var_after = (1 - momentum) * running_var + momentum * var_unbiased
    else:
        y = (x - running_mean.reshape(shape)) / np.sqrt(running_var.reshape(shape) + eps)
        mean_after = running_mean
        var_after = running_var
    y = y * weight.reshape(shape) + bias.reshape(shape)
    return {
        "name": name,
        "training": training,
        "momentum": momentum,
        "eps": eps,
        "input": tensor(x),
        "weight": tensor(weight),
        "bias": tensor(bias),
        "running_mean": tensor(running_mean),
        "running_var": tensor(running_var),
        "output": tensor(y),
        "running_mean_after": tensor(mean_after),
        "running_var_after": tensor(var_after),
    }


def log_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def cross_entropy_indices(x, y, weight, eps):
    n, c = x.shape
    w = np.ones(c) if weight is None else weight
    logp = log_softmax(x)
    nll = np.array([-w[y[i]] * logp[i, y[i]] for i in range(n)])
    smooth = -(logp * w).sum(axis=1)
    none = (1 - eps) * nll + eps / c * smooth
    denominator = sum(w[y[i]] for i in range(n))
    mean = (1 - eps) * nll.sum() / denominator + eps / c * smooth.sum() / denominator
    return none, mean, none.sum()


def cross_entropy_probabilities(x, t, weight, eps):
    n, c = x.shape
    w = np.ones(c) if weight is None else weight
    logp = log_softmax(x)
    t = (1 - eps) * t + eps / c
    none = -(t * logp * w).sum(axis=1)
    return none, none.sum() / n, none.sum()


def ce_case(name, n, c, kind, weighted, eps):
    x = RNG.standard_normal((n, c)) * 1.5
    weight = RNG.uniform(0.3, 2.0, c) if weighted else None
    if kind == "indices":
        target = RNG.integers(0, c, n)
        none, mean, total = cross_entropy_indices(x, target, weight, eps)
        target_json = index_tensor(target)
    else:
        logits = RNG.standard_normal((n, c))
        target = np.exp(log_softmax(logits))
        none, mean, total = cross_entropy_probabilities(x, target, weight, eps)
        target_json = tensor(target)
    return {
        "name": name,
        "target_kind": kind,
        "label_smoothing": eps,
        "input": tensor(x),
        "target": target_json,
        "weight": None if weight is None else tensor(weight),
        "none": tensor(none),
        "mean": float(mean),
        "sum": float(total),
    }


def main():
    golden = {
        "generator": "tests/DeepUnlearn.Torch.Tests/Golden/make_nn_golden.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "conv2d": [
            conv_case("plain", (2, 3, 5, 5), (4, 3, 3, 3), True, (1, 1), (0, 0), (1, 1), 1),
            conv_case("stride_padding", (1, 2, 6, 7), (3, 2, 3, 2), True, (2, 3), (1, 2), (1, 1), 1),
            conv_case("dilation_no_bias", (1, 2, 7, 6), (2, 2, 2, 3), False, (1, 1), (1, 0), (2, 2), 1),
            conv_case("groups", (2, 4, 5, 6), (6, 2, 3, 3), True, (2, 1), (1, 1), (1, 2), 2),
            conv_case("depthwise", (1, 3, 6, 6), (3, 1, 3, 3), True, (1, 2), (2, 1), (2, 1), 3),
        ],
        "batch_norm": [
            batch_norm_case("train_4d", (4, 3, 3, 2), True, 0.1, 1e-5),
            batch_norm_case("train_2d_momentum", (6, 4), True, 0.3, 1e-3),
            batch_norm_case("eval_4d", (3, 2, 2, 3), False, 0.1, 1e-5),
        ],
        "cross_entropy": [
            ce_case("indices_no_smoothing", 5, 4, "indices", False, 0.0),
            ce_case("indices_smoothing", 6, 5, "indices", False, 0.1),
            ce_case("indices_weighted_smoothing", 6, 4, "indices", True, 0.2),
            ce_case("probabilities_smoothing", 4, 5, "probabilities", False, 0.15),
            ce_case("probabilities_weighted_smoothing", 5, 3, "probabilities", True, 0.05),
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
