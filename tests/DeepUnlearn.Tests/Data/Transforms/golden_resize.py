# Produces the golden values of ResizeTests (antialiased bilinear resize, PyTorch's reference).
# Run with Debian's /usr/bin/python3 (torch 1.13); the test suite itself never runs Python.
import torch
import torch.nn.functional as F

x = torch.arange(5 * 7, dtype=torch.float32).reshape(1, 1, 5, 7)
x = (x * 37 % 23) / 23.0
down = F.interpolate(x, size=(2, 3), mode="bilinear", align_corners=False, antialias=True)
up = F.interpolate(x, size=(8, 9), mode="bilinear", align_corners=False, antialias=True)
print("down", down.flatten().tolist())
print("up", up.flatten().tolist())
