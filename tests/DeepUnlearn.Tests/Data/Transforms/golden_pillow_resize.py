# Produces the golden values of ResamplingTests.ResizeRegion_*_MatchesPillowCropThenResize (Pillow 9.4, Debian's /usr/bin/python3).
# PIL's BILINEAR resize of a mode "F" (float32) image: the triangle filter of Resample.c with double accumulators,
# horizontal pass first; the window is cropped first (torchvision's resized_crop = crop, then resize).
import numpy as np
from PIL import Image

h, w = 13, 41
v = ((np.arange(h * w, dtype=np.int64) * 37) % 23).astype(np.float32) / np.float32(23)
im = Image.fromarray(v.reshape(h, w), mode="F")
# window (top 2, left 3, 9 x 35) -> 5 x 16 (down in both axes, 16 columns = two 8-wide blocks)
down = np.asarray(im.crop((3, 2, 3 + 35, 2 + 9)).resize((16, 5), Image.BILINEAR), dtype=np.float32)
# window (top 4, left 0, 5 x 41) -> 7 x 12 (up in height, down in width)
mixed = np.asarray(im.crop((0, 4, 41, 4 + 5)).resize((12, 7), Image.BILINEAR), dtype=np.float32)
for name, a in (("down", down), ("mixed", mixed)):
    print(name, ", ".join("%.9gf" % x for x in a.flatten()))
