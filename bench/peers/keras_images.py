#!/usr/bin/python3
"""Peer for bench/images.cpp: decode + augment + batch throughput of keras_preprocessing 1.1's
ImageDataGenerator.flow_from_directory on the flowers training folder (2,462 JPEGs, 128x128).
Same settings as bench_images: target_size 150x150, batch 32, categorical labels, rescale 1/255,
rotation 40, width/height shift 0.2, shear 0.2, zoom 0.2, horizontal flip, fill 'nearest'.
Usage: /usr/bin/python3 bench/peers/keras_images.py [FLOWERS_TRAIN_DIR] [EPOCHS]
Prints one JSON line: {"peer": ..., "images_per_s": ...}.
"""
import json
import os
import sys
import time

from keras_preprocessing.image import ImageDataGenerator

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT = os.path.join(os.environ.get("TFC_SHARED_DIR", os.path.join(ROOT, "..", "shared")),
                       "datasets", "images", "flowers", "train")


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    gen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=40, width_shift_range=0.2,
                             height_shift_range=0.2, shear_range=0.2, zoom_range=0.2,
                             horizontal_flip=True, fill_mode="nearest")
    it = gen.flow_from_directory(directory, target_size=(150, 150), batch_size=32,
                                 class_mode="categorical", seed=1)
    images = 0
    start = time.perf_counter()
    for _ in range(epochs):
        for i in range(len(it)):
            x, _ = it[i]
            images += x.shape[0]
        it.on_epoch_end()
    secs = time.perf_counter() - start
    print(json.dumps({"peer": "keras_preprocessing.ImageDataGenerator.flow_from_directory",
                      "images": images, "seconds": round(secs, 3),
                      "images_per_s": round(images / secs, 1)}))


if __name__ == "__main__":
    main()
