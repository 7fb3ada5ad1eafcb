#!/usr/bin/python3
"""Pillow-parity goldens for ImageCodecPillowGoldenTests: small JPEG/PNG files written by Pillow (or by hand where
Pillow cannot write the variant) and Pillow's own decoding of each, convert("RGB") and convert("L"), which is what
torchvision's ImageFolder sees. Run with Debian's Python and Pillow (python3-pil 9.4, python3-numpy):
    /usr/bin/python3 tests/DeepUnlearn.Codecs.Tests/Golden/make_image_golden.py
It writes images/* and images.json next to this script. Pixels are stored as hex in CHW order (channel planes),
the order DeepUnlearn's decoder returns by default. The test suite never runs Python.
"""
import json
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "images")
os.makedirs(OUT, exist_ok=True)

# 23 x 15: not a multiple of the 16 x 16 MCU of 4:2:0 JPEGs, so partial blocks and edge upsampling are covered.
W, H = 23, 15
y, x = np.mgrid[0:H, 0:W]
rgb = np.stack([(x * 11 + y * 3) % 256, (x * 2 + y * 17 + 40) % 256, 255 - (x * 7 + y * 9) % 256], axis=2).astype(np.uint8)
rgb[5:9, 8:14] = (250, 20, 30)  # a sharp red patch: chroma edges where upsampling methods differ
base = Image.fromarray(rgb, "RGB")


def chw_hex(image, mode):
    a = np.asarray(image.convert(mode), dtype=np.uint8)
    if a.ndim == 2:
        a = a[None, :, :]
    else:
        a = a.transpose(2, 0, 1)
    return a.tobytes().hex()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(name, width, height, bit_depth, color_type, rows, interlace=0, raw=None):
    if raw is None:
        raw = b"".join(b"\x00" + row for row in rows)
    data = (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace))
            + png_chunk(b"IDAT", zlib.compress(raw, 9))
            + png_chunk(b"IEND", b""))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


cases = []


def case(name, note, expected_gray=None):
    image = Image.open(os.path.join(OUT, name))
    entry = {"file": name, "pillow_mode": image.mode, "width": image.width, "height": image.height,
             "rgb": chw_hex(image, "RGB"), "gray": chw_hex(image, "L"), "note": note}
    if expected_gray is not None:
        entry["expected_gray"] = expected_gray
    cases.append(entry)


base.save(os.path.join(OUT, "rgb420.jpg"), quality=90)  # Pillow's default 4:2:0
case("rgb420.jpg", "baseline YCbCr 4:2:0, quality 90, 23x15")
base.save(os.path.join(OUT, "rgb420_progressive.jpg"), quality=85, progressive=True)
case("rgb420_progressive.jpg", "progressive YCbCr 4:2:0")
base.save(os.path.join(OUT, "rgb422.jpg"), quality=90, subsampling=1)
case("rgb422.jpg", "baseline YCbCr 4:2:2")
base.convert("L").save(os.path.join(OUT, "gray.jpg"), quality=90)
case("gray.jpg", "one-component gray JPEG")
base.convert("CMYK").save(os.path.join(OUT, "cmyk_adobe.jpg"), quality=95)
case("cmyk_adobe.jpg", "CMYK JPEG with an Adobe APP14 marker (inverted inks)")

base.save(os.path.join(OUT, "rgb.png"))
case("rgb.png", "8-bit RGB")
rgba = base.convert("RGBA")
rgba.putalpha(Image.fromarray(((x * 13 + y * 5) % 256).astype(np.uint8), "L"))
rgba.save(os.path.join(OUT, "rgba.png"))
case("rgba.png", "8-bit RGBA: alpha dropped, not composited")
la = base.convert("LA")
la.save(os.path.join(OUT, "gray_alpha.png"))
case("gray_alpha.png", "8-bit gray + alpha")
palette = base.quantize(16)
palette.save(os.path.join(OUT, "palette_trns.png"), transparency=3)
case("palette_trns.png", "16-colour palette with a tRNS entry")
base.convert("1").save(os.path.join(OUT, "bilevel.png"))
case("bilevel.png", "1-bit gray")

rgb16 = (rgb.astype(np.uint16) * 257 + (x[:, :, None] * 31 % 256).astype(np.uint16)).astype(">u2")
write_png("rgb16.png", W, H, 16, 2, [rgb16[r].tobytes() for r in range(H)])
case("rgb16.png", "16-bit RGB (hand-written): Pillow keeps the high byte")
gray16 = ((x * 2900 + y * 1500) % 65536).astype(">u2")
write_png("gray16.png", W, H, 16, 0, [gray16[r].tobytes() for r in range(H)])
case("gray16.png",
     "16-bit gray (hand-written): Pillow 9.4 opens it as mode I and clips to 0..255 when converting; "
     "DeepUnlearn keeps the high byte, as for every other 16-bit PNG (expected_gray)",
     expected_gray=(gray16.astype(np.uint16) >> 8).astype(np.uint8).tobytes().hex())

# Adam7 interlacing (Pillow reads it but cannot write it): the seven passes' sub-images, each row unfiltered.
adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
raw = b""
for x0, y0, dx, dy in adam7:
    sub = rgb[y0::dy, x0::dx]
    if sub.shape[0] and sub.shape[1]:
        raw += b"".join(b"\x00" + sub[r].tobytes() for r in range(sub.shape[0]))
write_png("rgb_interlaced.png", W, H, 8, 2, None, interlace=1, raw=raw)
case("rgb_interlaced.png", "8-bit RGB, Adam7 interlaced (hand-written)")

with open(os.path.join(HERE, "images.json"), "w") as f:
    json.dump({"generator": f"Pillow {PIL.__version__} (make_image_golden.py)", "cases": cases}, f, indent=1)
    f.write("\n")
