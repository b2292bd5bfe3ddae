#!/usr/bin/python3
"""Golden predictions for real Keras model files (tests/golden/keras_models/*.json).

Step 1 `dump`: reads each file with h5py only (no Keras, no tfc code): the model config (the
`model_config` attribute, a companion architecture JSON, or config.json inside a .keras zip) and
the weights of each layer in file order (legacy `layer_names` / `weight_names`, or Keras 3
`layers/<name>/vars/<i>`). Writes out/keras_models/<case>.json with fixed inputs.
Step 2 (node keras_models_oracle.js) predicts with TF.js from that config and those weights.
Step 3 `fixtures`: recomputes every prediction in float64 with numpy (Dense-only models),
requires agreement within 1e-5 relative + 1e-7 absolute, and writes the fixtures.

    /usr/bin/python3 keras_models_oracle.py dump [MODELS_DIR]
    node keras_models_oracle.js
    /usr/bin/python3 keras_models_oracle.py fixtures
"""
import hashlib
import io
import json
import os
import re
import sys
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'out', 'keras_models')
FIXTURES = os.path.join(HERE, '..', '..', 'tests', 'golden', 'keras_models')
MODELS = '/work/shared/keras-models'

# case name -> (model file, config source, per-sample input shape)
CASES = {
    'keras2.0.5_creditcard_mlp_weights_only': (
        'keras2.0.5_creditcard_mlp_weights_only.h5',
        'keras2.0.5_creditcard_mlp_weights_only.architecture.json', [30]),
    'tfkeras2.2.4-tf_mnist_mlp_weights_only': (
        'tfkeras2.2.4-tf_mnist_mlp_weights_only.h5',
        'tfkeras2.2.4-tf_mnist_mlp_weights_only.architecture.json', [28, 28, 1]),
    'keras2.3.1_theano_backend_mlp': ('keras2.3.1_theano_backend_mlp.h5', None, [12]),
    'keras3.14.0_mnist_mlp_keras': ('keras3.14.0_mnist_mlp.keras', None, [28, 28]),
    'keras3.14.0_mnist_mlp_weights_h5': (
        'keras3.14.0_mnist_mlp.weights.h5', 'keras3.14.0_mnist_mlp.keras', [28, 28]),
}
BATCH = 4


def text(v):
    return v.decode('utf-8') if isinstance(v, bytes) else str(v)


def names(attrs, key):
    if key in attrs:
        return [text(x) for x in np.asarray(attrs[key]).reshape(-1)] if attrs[key].dtype.kind in 'SOU' else []
    out, i = [], 0
    while f'{key}{i}' in attrs:
        out += [text(x) for x in np.asarray(attrs[f'{key}{i}']).reshape(-1)]
        i += 1
    return out


def legacy_weights(group):
    """[(layer name, [arrays])] for layers with weights, in layer_names order."""
    out = []
    for lname in names(group.attrs, 'layer_names'):
        g = group[lname]
        wn = names(g.attrs, 'weight_names')
        if wn:
            out.append((lname, [np.asarray(g[w], dtype=np.float64) for w in wn]))
    return out


def snake(name):
    name = re.sub(r'\W+', '', name)
    name = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)
    return re.sub('([a-z])([A-Z])', r'\1_\2', name).lower()


def config_layers(config):
    c = config['config']
    return c if isinstance(c, list) else c['layers']


def keras3_weights(f, config):
    out, used = [], {}
    for layer in config_layers(config):
        if layer['class_name'] == 'InputLayer':
            continue
        base = snake(layer['class_name'])
        k = used.get(base, 0)
        used[base] = k + 1
        key = base if k == 0 else f'{base}_{k}'
        vars_ = f['layers'][key]['vars']
        arrays = [np.asarray(vars_[str(i)], dtype=np.float64) for i in range(len(vars_))]
        if arrays:
            out.append((layer['config']['name'], arrays))
    return out


def load_case(model_file, config_src):
    path = os.path.join(MODELS, model_file)
    if model_file.endswith('.keras'):
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read('config.json'))
            with h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r') as f:
                return config, keras3_weights(f, config)
    with h5py.File(path, 'r') as f:
        if config_src and config_src.endswith('.keras'):
            with zipfile.ZipFile(os.path.join(MODELS, config_src)) as z:
                config = json.loads(z.read('config.json'))
            return config, keras3_weights(f, config)
        if config_src:
            with open(os.path.join(MODELS, config_src)) as cf:
                config = json.load(cf)
            return config, legacy_weights(f)
        return json.loads(text(f.attrs['model_config'])), legacy_weights(f['model_weights'])


def inputs_for(shape, seed):
    # Multiples of 1/64 in [0, 1): exact in float32. xorshift32, seeded per case.
    n = BATCH * int(np.prod(shape))
    x, s = [], seed or 1
    for _ in range(n):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        x.append((s % 64) / 64.0)
    return x


def dump(models_dir):
    global MODELS
    MODELS = models_dir
    os.makedirs(OUT, exist_ok=True)
    for i, (case, (model_file, config_src, shape)) in enumerate(sorted(CASES.items())):
        config, weights = load_case(model_file, config_src)
        with open(os.path.join(MODELS, model_file), 'rb') as mf:
            sha = hashlib.sha256(mf.read()).hexdigest()
        doc = {'case': case, 'model_file': model_file, 'config_source': config_src,
               'model_sha256': sha, 'input_shape': [BATCH] + shape,
               'inputs': inputs_for(shape, 1000 + i), 'config': config,
               'weights': [{'layer': n, 'arrays': [{'shape': list(a.shape),
                                                    'values': a.reshape(-1).tolist()} for a in arrs]}
                           for n, arrs in weights]}
        with open(os.path.join(OUT, case + '.json'), 'w') as f:
            json.dump(doc, f)
        print('dumped', case)


ACT = {'relu': lambda x: np.maximum(x, 0), 'sigmoid': lambda x: 0.5 * (1 + np.tanh(0.5 * x)),
       'linear': lambda x: x, 'tanh': np.tanh,
       'softmax': lambda x: np.exp(x - x.max(-1, keepdims=True)) /
       np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True)}


def numpy_forward(doc):
    """float64 Dense/Flatten/Dropout/InputLayer forward, independent of TF.js."""
    x = np.asarray(doc['inputs'], dtype=np.float64).reshape(doc['input_shape'])
    weights = {w['layer']: [np.asarray(a['values']).reshape(a['shape']) for a in w['arrays']]
               for w in doc['weights']}
    for layer in config_layers(doc['config']):
        cls, cfg = layer['class_name'], layer['config']
        if cls == 'Flatten':
            x = x.reshape(x.shape[0], -1)
        elif cls == 'Dense':
            w = weights[cfg['name']]
            x = x @ w[0] + (w[1] if cfg.get('use_bias', True) else 0)
            x = ACT[cfg.get('activation', 'linear')](x)
        elif cls not in ('Dropout', 'InputLayer'):
            raise SystemExit(f'numpy cross-check does not cover {cls}')
    return x


def fixtures():
    tfjs = json.load(open(os.path.join(OUT, 'tfjs_results.json')))
    os.makedirs(FIXTURES, exist_ok=True)
    for case in sorted(CASES):
        doc = json.load(open(os.path.join(OUT, case + '.json')))
        res = tfjs[case]
        y_tfjs = np.asarray(res['output'], dtype=np.float64).reshape(res['shape'])
        y_np = numpy_forward(doc)
        # Tolerance: 1e-5 relative plus 1e-7 absolute (float32 rounding of saturated sigmoids).
        rel = np.max(np.abs(y_tfjs - y_np) / (np.abs(y_np) + 1e-2))
        if not np.all(np.abs(y_tfjs - y_np) <= 1e-5 * np.abs(y_np) + 1e-7):
            raise SystemExit(f'{case}: TF.js and numpy disagree, max relative diff {rel}')
        fixture = {'generator': 'tools/golden/keras_models_oracle.py + keras_models_oracle.js',
                   'oracle': 'TF.js ' + res['tfjs_version'] + ' (cpu, float32) from the Keras config; '
                             'cross-checked with a float64 numpy forward',
                   'h5py_version': h5py.__version__, 'cross_check_max_rel_diff': float(rel),
                   'model_file': doc['model_file'], 'config_source': doc['config_source'],
                   'model_sha256': doc['model_sha256'], 'input_shape': doc['input_shape'],
                   'inputs': doc['inputs'], 'output_shape': list(y_tfjs.shape),
                   'expected': y_tfjs.reshape(-1).tolist()}
        with open(os.path.join(FIXTURES, case + '.json'), 'w') as f:
            json.dump(fixture, f, indent=0)
        print(f'{case}: AGREE (max rel diff {rel:.2e})')


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'dump':
        dump(sys.argv[2] if len(sys.argv) > 2 else MODELS)
    elif len(sys.argv) == 2 and sys.argv[1] == 'fixtures':
        fixtures()
    else:
        raise SystemExit(__doc__)
