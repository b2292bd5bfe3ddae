#!/usr/bin/python3
"""Goldens for tfc/preprocessing: Tokenizer, text_to_word_sequence, pad_sequences, the course's
n-gram helper, and the time-series moving averages / differencing.

Oracle: keras_preprocessing 1.1.0 (Debian python3-keras-preprocessing) and numpy, run by Debian's
/usr/bin/python3 (oracles.md). Output: tests/golden/preprocessing/*.json, each with a "generator"
record. Large outputs are stored as SHA-256 of a canonical serialisation plus a sample:

  word_index   : for words in index order   "<index> <utf8 byte length> <word>\\n"
  word_counts  : in insertion order         "<count> <utf8 byte length> <word>\\n"
  word_docs    : in word_counts order       "<docs> <utf8 byte length> <word>\\n"
  sequences    : one line per sequence      "<i1> <i2> ...\\n"  (empty line for [])
  texts        : one line per text          "<utf8 byte length> <text>\\n"
  float arrays : the raw little-endian IEEE-754 bytes of the values (float64 or float32)
  int arrays   : the raw little-endian int32 bytes

Usage (from the repository root): /usr/bin/python3 tools/golden/text_goldens.py
"""
import csv
import hashlib
import json
import os
import platform
import sys

import numpy as np
import keras_preprocessing
from keras_preprocessing.text import Tokenizer, text_to_word_sequence
from keras_preprocessing.sequence import pad_sequences

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("TFC_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
OUT = os.path.join(ROOT, "tests", "golden", "preprocessing")

GENERATOR = {
    "script": "tools/golden/text_goldens.py",
    "python": platform.python_version(),
    "keras_preprocessing": keras_preprocessing.__version__,
    "numpy": np.__version__,
    "oracle": "keras_preprocessing 1.1.0 text.py / sequence.py; numpy for the time series",
}


def sha(data):
    return hashlib.sha256(data).hexdigest()


def blen(s):
    return len(s.encode("utf-8"))


def hash_word_index(tok):
    items = sorted(tok.word_index.items(), key=lambda kv: kv[1])
    return sha("".join("%d %d %s\n" % (i, blen(w), w) for w, i in items).encode("utf-8"))


def hash_word_counts(tok):
    return sha("".join("%d %d %s\n" % (c, blen(w), w) for w, c in tok.word_counts.items())
               .encode("utf-8"))


def hash_word_docs(tok):
    return sha("".join("%d %d %s\n" % (tok.word_docs[w], blen(w), w) for w in tok.word_counts)
               .encode("utf-8"))


def hash_sequences(seqs):
    return sha("".join(" ".join(str(i) for i in s) + "\n" for s in seqs).encode("utf-8"))


def hash_texts(texts):
    return sha("".join("%d %s\n" % (blen(t), t) for t in texts).encode("utf-8"))


def read_csv_texts(path):
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    col = header.index("text")
    return [r[col] for r in rows[1:]]


def tokenizer_state(tok, texts, sample_words=30, sample_seqs=1):
    seqs = tok.texts_to_sequences(texts)
    items = sorted(tok.word_index.items(), key=lambda kv: kv[1])
    return {
        "document_count": tok.document_count,
        "len_word_index": len(tok.word_index),
        "len_word_counts": len(tok.word_counts),
        "word_index_sha256": hash_word_index(tok),
        "word_counts_sha256": hash_word_counts(tok),
        "word_docs_sha256": hash_word_docs(tok),
        "sequences_sha256": hash_sequences(seqs),
        "total_sequence_tokens": sum(len(s) for s in seqs),
        "word_index_head": [[w, i] for w, i in items[:sample_words]],
        "word_index_tail": [[w, i] for w, i in items[-5:]],
        "word_counts_head": [[w, c] for w, c in list(tok.word_counts.items())[:sample_words]],
        "sequences_head": seqs[:sample_seqs],
        "seqs": seqs,
    }


def dataset_cases():
    sets = {
        "spam-ham/train": read_csv_texts(os.path.join(SHARED, "datasets/text/spam-ham/train.csv")),
        "bbc-news/train": read_csv_texts(os.path.join(SHARED, "datasets/text/bbc-news/train.csv")),
    }
    configs = [
        ("num_words_10000_oov", {"num_words": 10000, "oov_token": "<OOV>"}),
        ("num_words_10000", {"num_words": 10000}),
        ("no_limit", {}),
        ("char_level_oov", {"char_level": True, "oov_token": "<OOV>"}),
    ]
    cases = []
    for ds, texts in sets.items():
        for name, cfg in configs:
            if ds == "bbc-news/train" and name == "no_limit":
                continue
            tok = Tokenizer(**cfg)
            tok.fit_on_texts(texts)
            st = tokenizer_state(tok, texts)
            seqs = st.pop("seqs")
            back = tok.sequences_to_texts(seqs[:200])
            st["sequences_to_texts_first200_sha256"] = hash_texts(back)
            st["sequences_to_texts_head"] = back[:1]
            cases.append({"dataset": ds, "config": cfg, "name": name, **st})
            print(ds, name, len(tok.word_index), file=sys.stderr)
    return cases


SMALL_TEXTS = [
    "I love my dog",
    "I, love my cat!",
    "You love my dog!",
    "Do you think my dog is amazing?",
    "Don't   stop\tbelieving:\nhold on to that feeling",
    "ΣΊΣΥΦΟΣ and ΌΣΟΣ Σ; İstanbul STRASSE Straße ÉCOLE Ünïcödé ÅNGSTRÖM ǅ ǈ Ⅻ Ａ",
    "Ḯ Ա Ѻ Ϣ ϴ K Å — “quoted” ‘single’ café…",
    "",
    "   ",
    "dog dog dog cat cat fish",
]

SMALL_CONFIGS = [
    ("default", {}),
    ("num_words_5", {"num_words": 5}),
    ("num_words_5_oov", {"num_words": 5, "oov_token": "<OOV>"}),
    ("oov_only", {"oov_token": "<OOV>"}),
    ("no_lower", {"lower": False}),
    ("custom_filters_split", {"filters": "!,.?:;é—", "split": "o"}),
    ("multichar_split", {"split": "ov", "filters": "!"}),
    ("char_level", {"char_level": True}),
    ("char_level_no_lower_num_words_8_oov", {"char_level": True, "lower": False, "num_words": 8,
                                              "oov_token": "#"}),
    ("oov_token_is_a_word", {"oov_token": "dog"}),
]


def small_cases():
    out = []
    for name, cfg in SMALL_CONFIGS:
        tok = Tokenizer(**cfg)
        tok.fit_on_texts(SMALL_TEXTS)
        seqs = tok.texts_to_sequences(SMALL_TEXTS + ["unseen words dog Dog"])
        case = {
            "name": name,
            "config": cfg,
            "document_count": tok.document_count,
            "word_index": sorted(([w, i] for w, i in tok.word_index.items()), key=lambda x: x[1]),
            "index_word": sorted(([i, w] for i, w in tok.index_word.items())),
            "word_counts": [[w, c] for w, c in tok.word_counts.items()],
            "word_docs": [[w, tok.word_docs[w]] for w in tok.word_counts],
            "sequences": seqs,
        }
        try:
            case["sequences_to_texts"] = tok.sequences_to_texts(seqs + [[0, 1, 2, 999]])
        except Exception as e:  # noqa: BLE001  (recorded: tfc must throw too)
            case["sequences_to_texts_error"] = type(e).__name__
        out.append(case)
    return out


def matrix_cases():
    texts = SMALL_TEXTS[:5] + ["dog dog dog cat cat fish", ""]
    out = []
    for cfg in ({}, {"num_words": 6}, {"num_words": 6, "oov_token": "<OOV>"}):
        tok = Tokenizer(**cfg)
        tok.fit_on_texts(texts)
        for mode in ("binary", "count", "tfidf", "freq"):
            m = tok.texts_to_matrix(texts, mode=mode)
            out.append({"config": cfg, "mode": mode, "fit_texts": texts, "texts": texts,
                        "shape": list(m.shape), "values": m.tolist()})
    # fit_on_sequences only (no texts): Keras needs num_words for the width.
    tok = Tokenizer(num_words=7)
    seqs = [[1, 2, 2, 3], [3, 4], [], [6, 6, 6, 1]]
    tok.fit_on_sequences(seqs)
    for mode in ("binary", "count", "tfidf", "freq"):
        m = tok.sequences_to_matrix(seqs, mode=mode)
        out.append({"config": {"num_words": 7}, "mode": mode, "fit_sequences": seqs,
                    "sequences": seqs, "shape": list(m.shape), "values": m.tolist()})
    return out


def word_sequence_cases():
    out = []
    for text in SMALL_TEXTS:
        for kw in ({}, {"lower": False}, {"filters": "", "split": "\t"}):
            out.append({"text": text, "options": kw, "tokens": text_to_word_sequence(text, **kw)})
    return out


def pad_cases():
    seqs = [[1, 2, 3], [4, 5, 6, 7, 8], [], [9], [10, 11, 12, 13, 14, 15, 16]]
    out = []
    for maxlen in (None, 0, 1, 3, 5, 9):
        for padding in ("pre", "post"):
            for truncating in ("pre", "post"):
                for value, dtype in ((0.0, "int32"), (-1.0, "int32"), (2.7, "int32"),
                                     (-2.7, "int64"), (0.1, "float32"), (-1.5, "float64")):
                    case = {"maxlen": maxlen, "padding": padding, "truncating": truncating,
                            "value": value, "dtype": dtype}
                    try:
                        x = pad_sequences(seqs, maxlen=maxlen, dtype=dtype, padding=padding,
                                          truncating=truncating, value=value)
                        case["shape"] = list(x.shape)
                        case["values"] = [float(v) for v in x.ravel()]
                    except ValueError as e:
                        case["error"] = str(e)[:80]
                    out.append(case)
    return {"sequences": seqs, "cases": out}


def ngram_case():
    path = os.path.join(SHARED, "datasets/text/corpora/shakespeare-sonnets.txt")
    with open(path, encoding="utf-8") as f:
        data = f.read()
    corpus = data.lower().split("\n")  # the course: data.lower().split("\n")
    tok = Tokenizer()
    tok.fit_on_texts(corpus)
    total_words = len(tok.word_index) + 1
    input_sequences = []
    for line in corpus:
        token_list = tok.texts_to_sequences([line])[0]
        for i in range(1, len(token_list)):
            input_sequences.append(token_list[:i + 1])
    max_sequence_len = max(len(x) for x in input_sequences)
    arr = np.array(pad_sequences(input_sequences, maxlen=max_sequence_len, padding="pre"))
    xs, labels = arr[:, :-1], arr[:, -1]
    return {
        "corpus": "datasets/text/corpora/shakespeare-sonnets.txt, data.lower().split('\\n')",
        "total_words": total_words,
        "max_sequence_len": max_sequence_len,
        "xs_shape": list(xs.shape),
        "xs_int32_sha256": sha(np.ascontiguousarray(xs, dtype="<i4").tobytes()),
        "labels_int32_sha256": sha(np.ascontiguousarray(labels, dtype="<i4").tobytes()),
        "xs_head": xs[:3].tolist(),
        "labels_head": labels[:10].tolist(),
    }


# Time series (numpy). The definitions, in numpy terms:
#   moving_average_forecast(s, w)[t] = s[t:t+w].mean(),            t = 0 .. n-w-1  (the course)
#   trailing_moving_average(s, w)[t] = s[t-w+1:t+1].mean(),        t = w-1 .. n-1  (length n-w+1)
#   centered_moving_average(s, w)[t] = s[t-w//2 : t-w//2+w].mean(), t = w//2 .. n-w+w//2
#   difference(s, k) = s[k:] - s[:-k]
def moving_average_forecast(s, w):
    return np.array([s[t:t + w].mean() for t in range(len(s) - w)], dtype=s.dtype)


def trailing_ma(s, w):
    return np.array([s[t - w + 1:t + 1].mean() for t in range(w - 1, len(s))], dtype=s.dtype)


def centered_ma(s, w):
    h = w // 2
    return np.array([s[t - h:t - h + w].mean() for t in range(h, len(s) - w + h + 1)],
                    dtype=s.dtype)


def timeseries_cases():
    path = os.path.join(SHARED, "datasets/timeseries/sunspots/monthly-sunspots.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("value")
    values = [float(r[col]) for r in rows[1:]]
    out = {"series": "datasets/timeseries/sunspots/monthly-sunspots.csv column value",
           "n": len(values), "cases": []}
    for dtype in ("float64", "float32"):
        s = np.array(values, dtype=dtype)
        out["series_" + dtype + "_sha256"] = sha(s.astype("<" + s.dtype.str[1:]).tobytes())
        for kind, fn in (("moving_average_forecast", moving_average_forecast),
                         ("trailing_moving_average", trailing_ma),
                         ("centered_moving_average", centered_ma)):
            for w in (1, 2, 3, 7, 8, 9, 11, 30, 128, 129, 300):
                r = fn(s, w)
                out["cases"].append({"kind": kind, "dtype": dtype, "window_size": w,
                                     "length": len(r), "sha256": sha(r.tobytes()),
                                     "head": [float(v) for v in r[:3]],
                                     "tail": [float(v) for v in r[-2:]]})
        for k in (1, 12, 132):
            r = s[k:] - s[:-k]
            out["cases"].append({"kind": "difference", "dtype": dtype, "lag": k,
                                 "length": len(r), "sha256": sha(r.tobytes()),
                                 "head": [float(v) for v in r[:3]]})
    return out


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    payload = {"generator": GENERATOR, **payload}
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False)
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes", file=sys.stderr)


def main():
    assert sys.byteorder == "little"
    write("tokenizer_datasets.json", {"cases": dataset_cases()})
    write("tokenizer_small.json", {"texts": SMALL_TEXTS, "extra_text": "unseen words dog Dog",
                                   "cases": small_cases(),
                                   "text_to_word_sequence": word_sequence_cases(),
                                   "matrix": matrix_cases()})
    write("pad_sequences.json", pad_cases())
    write("ngram_sequences.json", ngram_case())
    write("timeseries.json", timeseries_cases())


if __name__ == "__main__":
    main()
