#!/usr/bin/python3
"""Golden values for DeepUnlearn.Torch.Optim, produced by PyTorch itself.

How it was run (from the repository root):
    /usr/bin/python3 tests/DeepUnlearn.Torch.Tests/Golden/make_optimizer_golden.py
with Debian's python3-torch, torch.__version__ == "1.13.0a0" (CPU), numpy not needed.
The torch version used is also written into the JSON ("torch_version").

It writes tests/DeepUnlearn.Torch.Tests/Golden/optimizers.json (checked in). The C# tests
(tests/DeepUnlearn.Torch.Tests/Optim/*Tests.cs) read that file and never run Python.

Contents:
- "optimizers": for each case, fixed float64 parameters (two parameter groups, the second one
  overriding lr and weight_decay), fixed float64 gradients for three steps, and the parameters after
  step 1 and after step 3 of torch.optim.SGD / Adam / AdamW (foreach=False, PyTorch's reference
  single-tensor loop), plus the optimizer state after step 3 under DeepUnlearn's flat names
  ("state.{i}.{key}", i = parameter index across groups as in torch's state_dict()).
  Gradients are assigned to p.grad directly, so only the update rule is under test.
- "schedulers": the learning rate of each of two parameter groups (base lrs 0.1 and 0.02) right
  after the scheduler is built (epoch 0) and after each of 20 scheduler.step() calls, using torch's
  own (recursive, chainable) scheduler implementations.
"""

import json
import os
import warnings

import torch

STEPS = 3
SCHEDULER_STEPS = 20
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizers.json")


def values(t):
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().reshape(-1).tolist()]}


def make_inputs(seed):
    g = torch.Generator().manual_seed(seed)
    shapes = [(3, 4), (5,), (2, 3)]
    params = [torch.randn(s, generator=g, dtype=torch.float64) for s in shapes]
    # Gradients of different scales per step, so that AMSGrad's running maximum matters.
    scales = [1.0, 0.3, 2.0]
    grads = [[torch.randn(s, generator=g, dtype=torch.float64) * scales[k] for s in shapes] for k in range(STEPS)]
    return params, grads


OPTIMIZER_CASES = [
    # name, torch class, defaults (torch kwargs), overrides of group 1
    ("sgd_nesterov", "sgd", {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4, "nesterov": True}, {"lr": 0.05, "weight_decay": 0.0}),
    ("sgd_momentum_dampening_maximize", "sgd", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 1e-3, "maximize": True}, {"lr": 0.2, "weight_decay": 0.0}),
    ("sgd_plain", "sgd", {"lr": 0.1}, {"lr": 0.01, "weight_decay": 0.1}),
    ("adam_l2", "adam", {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01}, {"lr": 0.003, "weight_decay": 0.0}),
    ("adam_amsgrad_maximize", "adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.0, "amsgrad": True, "maximize": True}, {"lr": 0.005, "weight_decay": 0.1}),
    ("adamw", "adamw", {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01}, {"lr": 0.003, "weight_decay": 0.0}),
    ("adamw_amsgrad", "adamw", {"lr": 0.02, "betas": [0.85, 0.995], "eps": 1e-8, "weight_decay": 0.05, "amsgrad": True}, {"lr": 0.01, "weight_decay": 0.2}),
]


def build_optimizer(kind, groups, defaults):
    kwargs = dict(defaults)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    return cls(groups, foreach=False, **kwargs)


def optimizer_case(index, name, kind, defaults, overrides):
    params0, grads = make_inputs(1000 + index)
    params = [p.clone().requires_grad_(True) for p in params0]
    groups = [{"params": params[:2]}, dict({"params": params[2:]}, **overrides)]
    opt = build_optimizer(kind, groups, defaults)
    after = {}
    for k in range(STEPS):
        for p, g in zip(params, grads[k]):
            p.grad = g.clone()
        opt.step()
        if k + 1 in (1, STEPS):
            after[k + 1] = [values(p) for p in params]
    state = {}
    packed = opt.state_dict()["state"]
    for i in sorted(packed):
        for key, value in packed[i].items():
            if value is None:
                continue
            state["state.%d.%s" % (i, key)] = values(value)
    return {
        "name": name,
        "optimizer": kind,
        "defaults": defaults,
        "groups": [{"params": [0, 1], "options": {}}, {"params": [2], "options": overrides}],
        "params": [values(p) for p in params0],
        "grads": [[values(g) for g in step] for step in grads],
        "after_step1": after[1],
        "after_step3": after[STEPS],
        "state_after_step3": state,
    }


SCHEDULER_CASES = [
    ("step_lr", {"kind": "StepLR", "step_size": 3, "gamma": 0.5}),
    ("multistep_lr", {"kind": "MultiStepLR", "milestones": [4, 9, 9, 13], "gamma": 0.2}),
    ("cosine", {"kind": "CosineAnnealingLR", "T_max": 10, "eta_min": 1e-3}),
    ("cosine_long", {"kind": "CosineAnnealingLR", "T_max": 20, "eta_min": 0.0}),
    ("linear_warmup", {"kind": "LinearLR", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 5}),
    ("linear_decay", {"kind": "LinearLR", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 8}),
    ("warmup_cosine", {"kind": "SequentialLR", "milestones": [4], "schedulers": [
        {"kind": "LinearLR", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 4},
        {"kind": "CosineAnnealingLR", "T_max": 16, "eta_min": 0.0}]}),
    ("warmup_multistep", {"kind": "SequentialLR", "milestones": [3], "schedulers": [
        {"kind": "LinearLR", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 3},
        {"kind": "MultiStepLR", "milestones": [5, 10], "gamma": 0.1}]}),
]


def build_scheduler(opt, spec):
    kind = spec["kind"]
    if kind == "StepLR":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=spec["step_size"], gamma=spec["gamma"])
    if kind == "MultiStepLR":
        return torch.optim.lr_scheduler.MultiStepLR(opt, milestones=spec["milestones"], gamma=spec["gamma"])
    if kind == "CosineAnnealingLR":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=spec["T_max"], eta_min=spec["eta_min"])
    if kind == "LinearLR":
        return torch.optim.lr_scheduler.LinearLR(
            opt, start_factor=spec["start_factor"], end_factor=spec["end_factor"], total_iters=spec["total_iters"])
    if kind == "SequentialLR":
        children = [build_scheduler(opt, child) for child in spec["schedulers"]]
        return torch.optim.lr_scheduler.SequentialLR(opt, schedulers=children, milestones=spec["milestones"])
    raise ValueError(kind)


def scheduler_case(name, spec):
    base_lrs = [0.1, 0.02]
    p = torch.zeros(1, requires_grad=True)
    q = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([{"params": [p], "lr": base_lrs[0]}, {"params": [q], "lr": base_lrs[1]}], lr=base_lrs[0])
    sched = build_scheduler(opt, spec)
    lrs = [[g["lr"] for g in opt.param_groups]]
    for _ in range(SCHEDULER_STEPS):
        opt.step()  # no gradients: changes nothing, but keeps torch's call-order check quiet
        sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    return {"name": name, "spec": spec, "base_lrs": base_lrs, "lrs": lrs}


def main():
    warnings.simplefilter("error")  # any call-order or other warning would mean a wrong setup
    # ...except the one torch's own SequentialLR triggers by calling step(0) on a milestone.
    warnings.filterwarnings("ignore", message="The epoch parameter in `scheduler.step\\(\\)`")
    out = {
        "generator": "tests/DeepUnlearn.Torch.Tests/Golden/make_optimizer_golden.py",
        "torch_version": torch.__version__,
        "optimizers": [optimizer_case(i, *case) for i, case in enumerate(OPTIMIZER_CASES)],
        "schedulers": [scheduler_case(*case) for case in SCHEDULER_CASES],
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", OUT, "with torch", torch.__version__)


if __name__ == "__main__":
    main()
