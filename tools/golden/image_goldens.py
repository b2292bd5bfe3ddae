#!/usr/bin/python3
"""Goldens for tfc/data/image*: load_img (JPEG decode + PIL resize), ImageDataGenerator
apply_transform, flow_from_directory's file listing / split / first batch, and the tf.image.resize
bilinear rule used by image_dataset_from_directory.

Oracles: keras_preprocessing 1.1.0 (Debian python3-keras-preprocessing) with scipy and PIL for
everything Keras-2 preprocessing does; torch (Debian python3-torch) F.interpolate(bilinear,
align_corners=False) for tf.image.resize's half-pixel bilinear rule (TF itself is not installable).
Run by Debian's /usr/bin/python3. Output: tests/golden/images/*.json, each with a "generator" record.

Fixtures stay small: no whole images. An image is stored as
  sha256  of its raw bytes (uint8 HWC for PIL images, little-endian float32 HWC for arrays),
  grid    the values at rows/cols {0, 8, 16, ..., 120, last} (every channel), rounded to 1e-3,
  blocks  the means of 8x8 blocks (every channel), rounded to 1e-3.

Usage (from the repository root): /usr/bin/python3 tools/golden/image_goldens.py
"""
import hashlib
import io
import json
import os
import platform
import sys

import numpy as np
import PIL
import scipy
import keras_preprocessing
from keras_preprocessing import image as kimage
from keras_preprocessing.image import ImageDataGenerator

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("TFC_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
FLOWERS = os.path.join(SHARED, "datasets", "images", "flowers")
OUT = os.path.join(ROOT, "tests", "golden", "images")

GENERATOR = {
    "script": "tools/golden/image_goldens.py",
    "python": platform.python_version(),
    "keras_preprocessing": keras_preprocessing.__version__,
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "PIL": PIL.__version__,
}


def sha(b):
    return hashlib.sha256(b).hexdigest()


def grid_index(n):
    return sorted(set(list(range(0, n, 8)) + [n - 1]))


def summarise(a):
    """a: HWC array. Returns the sampled grid, 8x8 block means and the sha256 of the raw bytes."""
    a = np.asarray(a)
    h, w, c = a.shape
    rows, cols = grid_index(h), grid_index(w)
    grid = a[np.ix_(rows, cols)].astype(np.float64)
    bh, bw = h // 8, w // 8
    blocks = a[: bh * 8, : bw * 8].astype(np.float64).reshape(bh, 8, bw, 8, c).mean(axis=(1, 3))
    raw = a.astype("<f4").tobytes() if a.dtype != np.uint8 else a.tobytes()
    return {"shape": [h, w, c], "rows": rows, "cols": cols,
            "grid": [round(float(v), 3) for v in grid.ravel()],
            "blocks": [round(float(v), 3) for v in blocks.ravel()],
            "sha256": sha(raw)}


def rel(path):
    return os.path.relpath(path, FLOWERS)


def all_images():
    out = []
    for split in ("train", "validation", "test"):
        for cls in sorted(os.listdir(os.path.join(FLOWERS, split))):
            d = os.path.join(FLOWERS, split, cls)
            out += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".jpg")]
    return out


def load_img_goldens():
    files = all_images()
    picked = files[::180]  # 20 images spread over every split and class
    cases = [
        {"color_mode": "rgb", "target_size": None, "interpolation": "nearest"},
        {"color_mode": "grayscale", "target_size": None, "interpolation": "nearest"},
        {"color_mode": "rgb", "target_size": [150, 150], "interpolation": "nearest"},
        {"color_mode": "rgb", "target_size": [100, 180], "interpolation": "nearest"},
        {"color_mode": "rgb", "target_size": [150, 150], "interpolation": "bilinear"},
        {"color_mode": "rgb", "target_size": [256, 256], "interpolation": "bilinear"},
        {"color_mode": "rgb", "target_size": [64, 48], "interpolation": "bilinear"},
        {"color_mode": "grayscale", "target_size": [150, 150], "interpolation": "bilinear"},
    ]
    out = []
    for case in cases:
        imgs = []
        for f in picked:
            img = kimage.load_img(f, color_mode=case["color_mode"],
                                  target_size=tuple(case["target_size"]) if case["target_size"] else None,
                                  interpolation=case["interpolation"])
            arr = np.asarray(img)
            if arr.ndim == 2:
                arr = arr[..., None]
            s = summarise(arr)
            s["file"] = rel(f)
            del s["blocks"]
            if len(imgs) >= 3:  # the hash alone for the rest
                for k in ("rows", "cols", "grid"):
                    del s[k]
            imgs.append(s)
        out.append(dict(case, images=imgs))
    # One hash over the decoded bytes of every flowers JPEG (rgb, original size), in all_images() order.
    h = hashlib.sha256()
    for f in files:
        h.update(np.asarray(kimage.load_img(f)).tobytes())
    return {"generator": GENERATOR, "oracle": "keras_preprocessing.image.load_img (PIL)",
            "cases": out, "all_decoded": {"count": len(files), "sha256": h.hexdigest(),
                                          "order": "train, validation, test; sorted classes; sorted files"}}


TRANSFORM_CASES = [
    ("rotation", {"theta": 23.0}, "nearest", 0.0),
    ("rotation_constant", {"theta": -37.5}, "constant", 80.0),
    ("shift_reflect", {"tx": 12.3, "ty": -17.6}, "reflect", 0.0),
    ("shift_wrap", {"tx": -20.25, "ty": 30.5}, "wrap", 0.0),
    ("shear_nearest", {"shear": 15.0}, "nearest", 0.0),
    ("shear_constant", {"shear": -28.0}, "constant", 0.0),
    ("zoom_out_reflect", {"zx": 1.3, "zy": 1.45}, "reflect", 0.0),
    ("zoom_in_wrap", {"zx": 0.7, "zy": 0.85}, "wrap", 0.0),
    ("flips", {"flip_horizontal": True, "flip_vertical": True}, "nearest", 0.0),
    ("all_nearest", {"theta": 17.0, "tx": 12.3, "ty": -7.5, "shear": 8.0, "zx": 0.9, "zy": 1.15,
                     "flip_horizontal": True}, "nearest", 0.0),
    ("all_constant", {"theta": -11.0, "tx": -9.0, "ty": 14.2, "shear": -12.0, "zx": 1.2, "zy": 0.95,
                      "flip_vertical": True}, "constant", 255.0),
    ("all_reflect", {"theta": 41.0, "tx": 25.0, "ty": 3.3, "shear": 5.0, "zx": 1.1, "zy": 1.3},
     "reflect", 0.0),
    ("all_wrap", {"theta": -63.0, "tx": 7.7, "ty": -31.0, "shear": 20.0, "zx": 0.8, "zy": 1.05,
                  "flip_horizontal": True}, "wrap", 0.0),
]


def transform_goldens():
    imgs = [sorted(os.listdir(os.path.join(FLOWERS, "train", c)))[0] for c in ("daisy", "roses", "tulips")]
    paths = [os.path.join(FLOWERS, "train", c, f) for c, f in zip(("daisy", "roses", "tulips"), imgs)]
    cases = []
    for name, params, mode, cval in TRANSFORM_CASES:
        gen = ImageDataGenerator(fill_mode=mode, cval=cval)
        for i, p in enumerate(paths[:2] if name not in ("all_nearest", "all_wrap") else paths):
            x = kimage.img_to_array(kimage.load_img(p))
            y = gen.apply_transform(x.copy(), dict(params))
            s = summarise(y)
            s.update({"name": name, "file": rel(p), "params": params, "fill_mode": mode, "cval": cval})
            cases.append(s)
    # Tiny arrays: the fill patterns and a non-square image.
    small = []
    ramp = np.tile(np.arange(6, dtype=np.float32), (6, 1))[..., None]
    for mode in ("nearest", "constant", "reflect", "wrap"):
        out = ImageDataGenerator(fill_mode=mode, cval=-1.0).apply_transform(ramp.copy(), {"ty": 3.5})
        small.append({"name": "ramp_ty3.5_" + mode, "input": ramp[..., 0].tolist(), "params": {"ty": 3.5},
                      "fill_mode": mode, "cval": -1.0, "output": out[..., 0].tolist()})
    rng = np.random.RandomState(5)
    x = (rng.randint(0, 256, size=(7, 11, 2))).astype(np.float32)
    for mode in ("nearest", "constant", "reflect", "wrap"):
        params = {"theta": 29.0, "tx": 1.7, "ty": -2.4, "shear": 9.0, "zx": 1.1, "zy": 0.8}
        out = ImageDataGenerator(fill_mode=mode, cval=3.0).apply_transform(x.copy(), dict(params))
        small.append({"name": "rect7x11x2_" + mode, "input": x.tolist(), "params": params,
                      "fill_mode": mode, "cval": 3.0, "output": out.tolist()})
    return {"generator": GENERATOR, "oracle": "ImageDataGenerator.apply_transform (scipy.ndimage order 1)",
            "cases": cases, "small": small}


def iterator_listing(it):
    names = "".join(f + "\n" for f in it.filenames)
    return {"samples": int(it.samples), "class_indices": it.class_indices,
            "filenames_sha256": sha(names.encode("utf-8")), "first": it.filenames[:3],
            "last": it.filenames[-3:], "classes_sha256": sha(np.asarray(it.classes, "<i4").tobytes()),
            "class_counts": [int(v) for v in np.bincount(it.classes, minlength=len(it.class_indices))]}


def directory_goldens():
    train = os.path.join(FLOWERS, "train")
    out = {"generator": GENERATOR, "oracle": "ImageDataGenerator.flow_from_directory (DirectoryIterator)",
           "listings": []}
    for folder, split in (("train", 0.0), ("train", 0.2), ("validation", 0.0), ("test", 0.35)):
        d = os.path.join(FLOWERS, folder)
        gen = ImageDataGenerator(validation_split=split) if split else ImageDataGenerator()
        subsets = ("training", "validation") if split else (None,)
        for subset in subsets:
            it = gen.flow_from_directory(d, target_size=(150, 150), shuffle=False, subset=subset)
            rec = iterator_listing(it)
            rec.update({"directory": folder, "validation_split": split, "subset": subset})
            out["listings"].append(rec)
    it = ImageDataGenerator().flow_from_directory(train, classes=["tulips", "daisy"], shuffle=False)
    rec = iterator_listing(it)
    rec.update({"directory": "train", "classes_arg": ["tulips", "daisy"], "validation_split": 0.0,
                "subset": None})
    out["listings"].append(rec)
    # First batch, no shuffling, no augmentation: nearest resize to 150x150 and rescale.
    gen = ImageDataGenerator(rescale=1.0 / 255)
    it = gen.flow_from_directory(os.path.join(FLOWERS, "validation"), target_size=(150, 150),
                                 batch_size=8, shuffle=False, class_mode="binary")
    x, y = it[0]
    out["first_batch"] = {"directory": "validation", "target_size": [150, 150], "batch_size": 8,
                          "class_mode": "binary", "rescale": 1.0 / 255, "y": y.tolist(),
                          "images": [summarise(x[i]) for i in range(2)],
                          "sha256_all": sha(x.astype("<f4").tobytes())}
    return out


def resize_goldens():
    import torch
    import torch.nn.functional as F
    files = all_images()[::1500]
    cases = []
    for f in files:
        x = kimage.img_to_array(kimage.load_img(f))
        t = torch.from_numpy(x).permute(2, 0, 1)[None].double()
        for size in ([256, 256], [100, 90], [150, 150]):
            y = F.interpolate(t, size=size, mode="bilinear", align_corners=False)
            y = y[0].permute(1, 2, 0).numpy().astype(np.float32)
            s = summarise(y)
            s.update({"file": rel(f), "size": size})
            cases.append(s)
    return {"generator": dict(GENERATOR, torch=torch.__version__),
            "oracle": "torch F.interpolate(mode='bilinear', align_corners=False) in float64: the half-pixel "
                      "bilinear rule of tf.image.resize(method='bilinear', antialias=False)",
            "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in (("load_img", load_img_goldens), ("apply_transform", transform_goldens),
                     ("flow_from_directory", directory_goldens), ("tf_resize", resize_goldens)):
        data = fn()
        path = os.path.join(OUT, name + ".json")
        with open(path, "w") as fh:
            json.dump(data, fh, separators=(",", ":"))
            fh.write("\n")
        print("wrote", os.path.relpath(path, ROOT), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    sys.exit(main())
