#!/usr/bin/python3
"""Independent pure-Python safetensors writer/reader (standard library only) for interop tests.

Debian has no python3-safetensors package, so this follows the format spec of
huggingface/safetensors directly:

  8 bytes   N, little-endian unsigned 64-bit: the header length
  N bytes   UTF-8 JSON object: name -> {"dtype", "shape", "data_offsets": [begin, end]} plus an
            optional "__metadata__" string -> string map; padded with spaces to a multiple of 8
  rest      the data buffer: raw little-endian row-major bytes; offsets are relative to its start,
            contiguous, and cover it exactly

The writer lays the file out the way the reference writer does: tensors sorted by descending dtype
rank (the reference Dtype enum order), then by name; "__metadata__" first; compact JSON.

Usage (run with Debian's /usr/bin/python3; the test suite never runs Python):
  make_safetensors_golden.py            writes python_written.safetensors next to this script
  make_safetensors_golden.py --check F  reads F with the independent reader, validates it against
                                        the spec and prints every tensor
"""

import json
import math
import os
import struct
import sys

# The reference Dtype enum order (its layout rank) and each dtype's struct code and size in bytes.
DTYPES = [
    ("BOOL", "?", 1), ("U8", "B", 1), ("I8", "b", 1), ("I16", "h", 2), ("U16", "H", 2),
    ("F16", "e", 2), ("BF16", None, 2), ("I32", "i", 4), ("U32", "I", 4), ("F32", "f", 4),
    ("F64", "d", 8), ("I64", "q", 8), ("U64", "Q", 8),
]
RANK = {name: rank for rank, (name, _, _) in enumerate(DTYPES)}
CODE = {name: code for name, code, _ in DTYPES}
SIZE = {name: size for name, _, size in DTYPES}
# The reference also defines sub-byte and float8 types; their ranks, for ordering only.
FULL_ORDER = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
              "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64"]


def bf16_bytes(values):
    """bfloat16 is the upper half of a float32; the values used here are exact in bfloat16."""
    out = b""
    for v in values:
        bits = struct.unpack("<I", struct.pack("<f", v))[0]
        assert bits & 0xFFFF == 0, f"{v} is not exact in bfloat16"
        out += struct.pack("<H", bits >> 16)
    return out


def bf16_values(raw):
    return [struct.unpack("<f", struct.pack("<I", h << 16))[0]
            for (h,) in struct.iter_unpack("<H", raw)]


def pack(dtype, values):
    if dtype == "BF16":
        return bf16_bytes(values)
    return struct.pack("<%d%s" % (len(values), CODE[dtype]), *values)


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def write(path, tensors, metadata=None):
    """tensors: {name: (dtype, shape, flat list of values)}."""
    order = sorted(tensors, key=lambda name: (-FULL_ORDER.index(tensors[name][0]), name.encode("utf-8")))
    header = {}
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    data = b""
    for name in order:
        dtype, shape, values = tensors[name]
        assert len(values) == numel(shape)
        raw = pack(dtype, values)
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def read(path):
    """Returns (metadata, {name: (dtype, shape, values)}, header_length); asserts the spec's rules."""
    with open(path, "rb") as f:
        blob = f.read()
    assert len(blob) >= 8, "shorter than 8 bytes"
    (n,) = struct.unpack("<Q", blob[:8])
    assert n <= 100_000_000 and 8 + n <= len(blob), "bad header length"
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    assert isinstance(header, dict)
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings"
    covered = 0
    tensors = {}
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        assert begin == covered, f"{name}: offsets not contiguous"
        assert end - begin == numel(shape) * SIZE[dtype], f"{name}: size mismatch"
        raw = data[begin:end]
        if dtype == "BF16":
            values = bf16_values(raw)
        else:
            values = [v for (v,) in struct.iter_unpack("<" + CODE[dtype], raw)]
        tensors[name] = (dtype, shape, values)
        covered = end
    assert covered == len(data), "offsets do not cover the data buffer"
    return metadata, tensors, n


def golden():
    here = os.path.dirname(os.path.abspath(__file__))
    tensors = {
        "fc.weight": ("F32", [2, 3], [0.5, -1.25, 3.0, 0.1, -0.0, 1e-30]),
        "fc.bias": ("F64", [3], [math.pi, -2.0 ** -40, 1e300]),
        "step": ("I64", [], [123456789012]),
        "labels": ("I32", [4], [0, -1, 2147483647, -2147483648]),
        "mask": ("BOOL", [2, 2], [True, False, False, True]),
        "pixels": ("U8", [5], [0, 1, 127, 128, 255]),
        "half": ("F16", [3], [1.0, -0.5, 65504.0]),
        "brain": ("BF16", [2, 2], [1.0, -2.5, 0.15625, 65536.0]),
        "empty": ("F32", [0, 4], []),
    }
    metadata = {"architecture": "smallcnn", "epoch": "3", "note": "written by a pure-Python writer \u2713"}
    path = os.path.join(here, "python_written.safetensors")
    write(path, tensors, metadata)
    # Read it back with the independent reader as a self-check.
    meta, back, _ = read(path)
    assert meta == metadata
    for name, (dtype, shape, values) in tensors.items():
        assert back[name][0] == dtype and back[name][1] == shape
        got = back[name][2]
        if dtype == "F32":
            values = [struct.unpack("<f", struct.pack("<f", v))[0] for v in values]
        assert got == values, name
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def check(path):
    metadata, tensors, n = read(path)
    assert n % 8 == 0, f"header length {n} is not a multiple of 8"
    print(f"{path}: header {n} bytes, metadata {metadata}")
    for name, (dtype, shape, values) in tensors.items():
        print(f"  {name}: {dtype} {shape} {values}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        golden()
