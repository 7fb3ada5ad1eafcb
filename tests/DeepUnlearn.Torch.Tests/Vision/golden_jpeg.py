# Produces the golden values of ImageTests' PIL comparisons: small JPEGs written by Pillow (an RGB
# 4:2:0 one and an Adobe CMYK one) with Pillow's own decoding to RGB (what torchvision's ImageFolder
# sees). Run with Debian's /usr/bin/python3 (Pillow 9.4); the test suite never runs Python.
import io
from PIL import Image

def emit(name, image, **save):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **save)
    data = buffer.getvalue()
    rgb = Image.open(io.BytesIO(data)).convert("RGB")
    print(f"{name}_jpeg = \"{data.hex()}\"")
    # CHW order, as DeepUnlearn's decoder returns it.
    planes = [[rgb.getpixel((x, y))[c] for y in range(rgb.height) for x in range(rgb.width)] for c in range(3)]
    print(f"{name}_rgb = {sum(planes, [])}")

w, h = 8, 6
rgb = Image.new("RGB", (w, h))
rgb.putdata([((x * 29 + y * 7) % 256, (x * 5 + y * 41) % 256, (200 - x * 9 - y * 13) % 256) for y in range(h) for x in range(w)])
emit("rgb", rgb, quality=90)
cmyk = Image.new("CMYK", (4, 3))
cmyk.putdata([((x * 60) % 256, (y * 90) % 256, (x * 20 + y * 30) % 256, (40 + x * 10) % 256) for y in range(3) for x in range(4)])
emit("cmyk", cmyk, quality=95)
