#!/usr/bin/python3
"""Tokenizer throughput, keras_preprocessing 1.1.0 vs tfc (bench/tokenizer.cpp).

fit_on_texts + texts_to_sequences on datasets/text/spam-ham/train.csv with
Tokenizer(num_words=10000, oov_token="<OOV>"); best of N runs each, in process CPU seconds
(the build machines are shared, so wall time mostly measures the neighbours).

Usage: /usr/bin/python3 bench/text_tokenizer.py [path/to/bench_tokenizer] [repeats]
"""
import csv
import json
import os
import subprocess
import sys
import time

import keras_preprocessing
from keras_preprocessing.text import Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CSV = os.path.join(os.environ.get("TFC_SHARED_DIR", os.path.join(ROOT, "..", "shared")),
                   "datasets/text/spam-ham/train.csv")


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else None
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    csv.field_size_limit(1 << 30)
    with open(CSV, encoding="utf-8", newline="") as f:
        texts = [r[0] for r in list(csv.reader(f))[1:]]
    best_fit = best_seq = float("inf")
    for _ in range(repeats):
        tok = Tokenizer(num_words=10000, oov_token="<OOV>")
        t0 = time.process_time()
        tok.fit_on_texts(texts)
        t1 = time.process_time()
        seqs = tok.texts_to_sequences(texts)
        t2 = time.process_time()
        best_fit, best_seq = min(best_fit, t1 - t0), min(best_seq, t2 - t1)
    py = {"impl": "keras_preprocessing " + keras_preprocessing.__version__, "texts": len(texts),
          "tokens": sum(len(s) for s in seqs), "word_index": len(tok.word_index),
          "fit_on_texts_s": round(best_fit, 4), "texts_to_sequences_s": round(best_seq, 4),
          "total_s": round(best_fit + best_seq, 4)}
    print(json.dumps(py))
    # For bench/run: "RESULT key value" lines, one figure each.
    for k in ("fit_on_texts_s", "texts_to_sequences_s", "total_s"):
        print("RESULT keras_%s %s" % (k, py[k]))
    if exe:
        out = subprocess.run([exe, CSV, str(repeats)], check=True, capture_output=True, text=True)
        tfc = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(tfc))
        assert tfc["tokens"] == py["tokens"] and tfc["word_index"] == py["word_index"]
        for k in ("fit_on_texts_s", "texts_to_sequences_s", "total_s"):
            print("RESULT tfc_%s %s" % (k, tfc[k]))
        print(json.dumps({"speedup_total": round(py["total_s"] / tfc["total_s"], 1),
                          "speedup_fit": round(py["fit_on_texts_s"] / tfc["fit_on_texts_s"], 1),
                          "speedup_sequences": round(py["texts_to_sequences_s"] /
                                                     tfc["texts_to_sequences_s"], 1)}))


if __name__ == "__main__":
    main()
