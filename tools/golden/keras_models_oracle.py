#!/usr/bin/python3
"""Golden predictions for real Keras model files (tests/golden/keras_models/*.json).

Step 1 `dump`: reads each file with h5py only (no Keras, no tfc code): the model config (the
`model_config` attribute, a companion architecture JSON, or config.json inside a .keras zip) and
the weights of each layer in file order (legacy `layer_names` / `weight_names`, or Keras 3
`layers/<name>/vars/<i>`). Writes out/keras_models/<case>.json with fixed inputs.
Step 2 (node keras_models_oracle.js) predicts with TF.js from that config and those weights.
Step 3 `fixtures`: recomputes every prediction with an independent float64 numpy forward
(Dense, Conv1D/2D incl. causal, pooling, BatchNormalization, Embedding, global pooling, SimpleRNN,
LSTM, GRU both reset_after, Bidirectional), requires agreement with TF.js, and writes the
fixtures. Cases marked 'numpy' (causal Conv1D, which TF.js cannot build) take the numpy values.

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

# case name -> (model file, config source, per-sample input shape[, options])
# options: 'vocab' = integer ids in [0, vocab) (inputs that feed an Embedding; some rows start
# with zeros); 'batch'; 'oracle' = 'numpy' where TF.js cannot serve (causal Conv1D, see
# /work/shared/docs/oracles.md section 4), otherwise TF.js cross-checked by numpy.
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
    'tfkeras2.1.6_conv1d_accelerometer_activity': (
        'tfkeras2.1.6_conv1d_accelerometer_activity.h5', None, [26, 3]),
    'keras2.2.4_text_embedding_gru': ('keras2.2.4_text_embedding_gru.h5', None, [20],
                                      {'vocab': 5000}),
    'keras2.3.1_mnist_cnn_batchnorm': ('keras2.3.1_mnist_cnn_batchnorm.h5', None, [28, 28, 1]),
    'keras3.13.2_h5_imdb_simplernn_no_training_config': (
        'keras3.13.2_h5_imdb_simplernn_no_training_config.h5', None, [200], {'vocab': 10000}),
    'keras3.4.1_fashion_cnn_keras': ('keras3.4.1_fashion_cnn.keras', None, [28, 28, 1]),
    'tf2.11_mnist_cnn_dropout': ('tf2.11_mnist_cnn_dropout.h5', None, [28, 28, 1]),
    'tf2.13_sarcasm_embedding_gap1d_dropout': (
        'tf2.13_sarcasm_embedding_gap1d_dropout.h5', None, [120], {'vocab': 2000}),
    'tf2.15_sunspots_conv1d_lstm': ('tf2.15_sunspots_conv1d_lstm.h5', None, [30, 1],
                                    {'oracle': 'numpy'}),
    'tf2.4_text_embedding_bilstm': ('tf2.4_text_embedding_bilstm.h5', None, [120],
                                    {'vocab': 1000}),
    'tf2.5_functional_conv1d_bn_encoder_no_optimizer_weights': (
        'tf2.5_functional_conv1d_bn_encoder_no_optimizer_weights.h5', None, [345, 163],
        {'oracle': 'numpy', 'batch': 1}),
    'tf2.8_text_embedding_globalmaxpool1d': (
        'tf2.8_text_embedding_globalmaxpool1d.h5', None, [120], {'vocab': 1000}),
    'tf2.9_mnist_cnn': ('tf2.9_mnist_cnn.h5', None, [28, 28, 1]),
}


def case_seed(case):
    # Stable per case: the first five cases keep the seeds of their sorted order, later ones follow.
    names = list(CASES)
    first = sorted(names[:5])
    return 1000 + (first.index(case) if case in first else names.index(case))


def case_options(case):
    spec = CASES[case]
    return spec[3] if len(spec) > 3 else {}


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


def inputs_for(shape, seed, batch, vocab=None):
    # Multiples of 1/64 in [0, 1): exact in float32. xorshift32, seeded per case. With a vocab:
    # integer ids in [1, vocab), and row r starts with 3r zeros (padding).
    n = batch * int(np.prod(shape))
    x, s = [], seed or 1
    for _ in range(n):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        x.append(float(1 + s % (vocab - 1)) if vocab else (s % 64) / 64.0)
    if vocab:
        steps = int(np.prod(shape))
        for r in range(batch):
            for t in range(min(3 * r, steps)):
                x[r * steps + t] = 0.0
    return x


def dump(models_dir):
    global MODELS
    MODELS = models_dir
    os.makedirs(OUT, exist_ok=True)
    for case in sorted(CASES):
        model_file, config_src, shape = CASES[case][:3]
        opts = case_options(case)
        batch = opts.get('batch', BATCH)
        config, weights = load_case(model_file, config_src)
        with open(os.path.join(MODELS, model_file), 'rb') as mf:
            sha = hashlib.sha256(mf.read()).hexdigest()
        doc = {'case': case, 'model_file': model_file, 'config_source': config_src,
               'model_sha256': sha, 'input_shape': [batch] + shape,
               'oracle': opts.get('oracle', 'tfjs'),
               'inputs': inputs_for(shape, case_seed(case), batch, opts.get('vocab')), 'config': config,
               'weights': [{'layer': n, 'arrays': [{'shape': list(a.shape),
                                                    'values': a.reshape(-1).tolist()} for a in arrs]}
                           for n, arrs in weights]}
        with open(os.path.join(OUT, case + '.json'), 'w') as f:
            json.dump(doc, f)
        print('dumped', case)


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


# Keras 2 definitions (keras/activations.py, keras/backend.py): hard_sigmoid = clip(0.2x + 0.5).
ACT = {'relu': lambda x: np.maximum(x, 0), 'sigmoid': lambda x: 0.5 * (1 + np.tanh(0.5 * x)),
       'linear': lambda x: x, 'tanh': np.tanh, 'softmax': _softmax,
       'elu': lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
       'hard_sigmoid': lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0)}


def act(cfg, key='activation', default='linear'):
    a = cfg.get(key, default)
    if isinstance(a, dict):  # Keras 3 {"class_name": "function", "config": "relu"}
        a = a['config']
    return ACT[a]


def ints(v, n):
    return [int(v)] * n if isinstance(v, (int, float)) else [int(t) for t in v]


def conv_pads(n, k, s, d, padding):
    """(pad before, pad after, output length) along one axis, as TF computes them."""
    eff = d * (k - 1) + 1
    if padding == 'valid':
        return 0, 0, (n - eff) // s + 1
    if padding == 'causal':
        return eff - 1, 0, (n - 1) // s + 1
    out = -(-n // s)
    total = max(0, (out - 1) * s + eff - n)
    return total // 2, total - total // 2, out


def conv_nd(x, kernel, bias, strides, dilation, padding):
    """x [N, *spatial, C], kernel [*k, C, F]; channels_last, groups 1."""
    nsp = x.ndim - 2
    pads, outs = [], []
    for a in range(nsp):
        b, e, o = conv_pads(x.shape[1 + a], kernel.shape[a], strides[a], dilation[a], padding)
        pads.append((b, e))
        outs.append(o)
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    y = np.zeros([x.shape[0]] + outs + [kernel.shape[-1]])
    for kidx in np.ndindex(*kernel.shape[:nsp]):
        sl = tuple(slice(kidx[a] * dilation[a], kidx[a] * dilation[a] + (outs[a] - 1) * strides[a] + 1,
                         strides[a]) for a in range(nsp))
        y += np.tensordot(xp[(slice(None),) + sl], kernel[kidx], axes=([x.ndim - 1], [0]))
    return y + (bias if bias is not None else 0)


def pool_nd(x, pool, strides, padding, kind):
    nsp = x.ndim - 2
    outs, pads = [], []
    for a in range(nsp):
        b, e, o = conv_pads(x.shape[1 + a], pool[a], strides[a], 1, padding)
        outs.append(o)
        pads.append((b, e))
    fill = -np.inf if kind == 'max' else np.nan
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=fill)
    windows = []
    for kidx in np.ndindex(*pool):
        sl = tuple(slice(kidx[a], kidx[a] + (outs[a] - 1) * strides[a] + 1, strides[a]) for a in range(nsp))
        windows.append(xp[(slice(None),) + sl])
    w = np.stack(windows)
    return w.max(0) if kind == 'max' else np.nanmean(w, 0)


def rnn(cls, cfg, w, x, mask, zero_output_for_mask=False):
    """SimpleRNN / LSTM / GRU over x [N, T, F] (Keras 2 semantics, masks included)."""
    units = cfg['units']
    kernel, rec = w[0], w[1]
    bias = w[2] if cfg.get('use_bias', True) else np.zeros(kernel.shape[1])
    f_act = act(cfg, 'activation', 'tanh')
    g_act = act(cfg, 'recurrent_activation', 'sigmoid')
    n, steps = x.shape[0], x.shape[1]
    order = range(steps - 1, -1, -1) if cfg.get('go_backwards', False) else range(steps)
    h = np.zeros((n, units))
    c = np.zeros((n, units))
    outs = []
    for t in order:
        xt = x[:, t]
        if cls == 'SimpleRNN':
            h_new = f_act(xt @ kernel + bias + h @ rec)
            c_new = c
        elif cls == 'LSTM':
            z = xt @ kernel + h @ rec + bias
            i, f, g, o = np.split(z, 4, axis=-1)
            c_new = g_act(f) * c + g_act(i) * f_act(g)
            h_new = g_act(o) * f_act(c_new)
        else:  # GRU, gates z, r, h
            if cfg.get('reset_after', True):
                b_in, b_rec = (bias[0], bias[1]) if bias.ndim == 2 else (bias, np.zeros_like(bias))
                xz, xr, xh = np.split(xt @ kernel + b_in, 3, axis=-1)
                hz, hr, hh = np.split(h @ rec + b_rec, 3, axis=-1)
                z, r = g_act(xz + hz), g_act(xr + hr)
                cand = f_act(xh + r * hh)
            else:
                xz, xr, xh = np.split(xt @ kernel + bias, 3, axis=-1)
                rz, rr, rh = np.split(rec, 3, axis=-1)
                z, r = g_act(xz + h @ rz), g_act(xr + h @ rr)
                cand = f_act(xh + (r * h) @ rh)
            h_new = z * h + (1 - z) * cand
            c_new = c
        if mask is not None:
            m = mask[:, t][:, None]
            out_t = np.where(m, h_new, 0.0 if zero_output_for_mask else h)
            h = np.where(m, h_new, h)
            c = np.where(m, c_new, c)
        else:
            h, c, out_t = h_new, c_new, h_new
        outs.append(out_t)
    if cfg.get('return_sequences', False):
        return np.stack(outs, 1)
    return h


def numpy_forward(doc):
    """An independent float64 Keras-2 inference forward (Sequential or single-chain models)."""
    x = np.asarray(doc['inputs'], dtype=np.float64).reshape(doc['input_shape'])
    weights = {w['layer']: [np.asarray(a['values']).reshape(a['shape']) for a in w['arrays']]
               for w in doc['weights']}
    mask = None
    for layer in config_layers(doc['config']):
        cls, cfg = layer['class_name'], layer['config']
        w = weights.get(cfg.get('name'), [])
        if cls in ('Dropout', 'InputLayer'):
            continue
        if cls == 'Flatten':
            x = x.reshape(x.shape[0], -1)
        elif cls == 'Dense':
            x = act(cfg)(x @ w[0] + (w[1] if cfg.get('use_bias', True) else 0))
        elif cls == 'Activation':
            x = act(cfg)(x)
        elif cls in ('Conv1D', 'Conv2D'):
            nsp = 1 if cls == 'Conv1D' else 2
            assert cfg.get('groups', 1) == 1 and cfg.get('data_format', 'channels_last') == 'channels_last'
            x = conv_nd(x, w[0], w[1] if cfg.get('use_bias', True) else None,
                        ints(cfg.get('strides', 1), nsp), ints(cfg.get('dilation_rate', 1), nsp),
                        cfg.get('padding', 'valid'))
            x = act(cfg)(x)
        elif cls in ('MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D'):
            nsp = 1 if cls.endswith('1D') else 2
            pool = ints(cfg.get('pool_size', 2), nsp)
            strides = ints(cfg['strides'], nsp) if cfg.get('strides') is not None else pool
            x = pool_nd(x, pool, strides, cfg.get('padding', 'valid'),
                        'max' if cls.startswith('Max') else 'avg')
        elif cls == 'BatchNormalization':
            k = 0
            gamma = w[k] if cfg.get('scale', True) else 1.0
            k += cfg.get('scale', True)
            beta = w[k] if cfg.get('center', True) else 0.0
            k += cfg.get('center', True)
            mean, var = w[k], w[k + 1]
            axis = cfg.get('axis', -1)
            axis = axis[0] if isinstance(axis, list) else axis
            assert axis in (-1, x.ndim - 1)
            x = (x - mean) / np.sqrt(var + cfg.get('epsilon', 1e-3)) * gamma + beta
        elif cls == 'Embedding':
            ids = x.astype(np.int64)
            mask = ids != 0 if cfg.get('mask_zero', False) else None
            x = w[0][ids]
            continue
        elif cls == 'GlobalAveragePooling1D':
            if mask is None:
                x = x.mean(1)
            else:
                m = mask[..., None].astype(np.float64)
                x = (x * m).sum(1) / m.sum(1)
        elif cls == 'GlobalMaxPooling1D':
            x = x.max(1)
        elif cls in ('SimpleRNN', 'LSTM', 'GRU'):
            x = rnn(cls, cfg, w, x, mask)
            if not cfg.get('return_sequences', False):
                mask = None
            continue
        elif cls == 'Bidirectional':
            inner = cfg['layer']
            icls, icfg = inner['class_name'], inner['config']
            half = len(w) // 2
            rs = icfg.get('return_sequences', False)
            yf = rnn(icls, icfg, w[:half], x, mask, rs)
            yb = rnn(icls, dict(icfg, go_backwards=not icfg.get('go_backwards', False)), w[half:], x,
                     mask, rs)
            if rs:
                yb = yb[:, ::-1]
            mode = cfg.get('merge_mode', 'concat')
            x = {'concat': lambda: np.concatenate([yf, yb], -1), 'sum': lambda: yf + yb,
                 'ave': lambda: (yf + yb) / 2, 'mul': lambda: yf * yb}[mode]()
            if not rs:
                mask = None
            continue
        else:
            raise SystemExit(f'numpy forward does not cover {cls}')
    return x


def fixtures():
    tfjs = json.load(open(os.path.join(OUT, 'tfjs_results.json')))
    os.makedirs(FIXTURES, exist_ok=True)
    for case in sorted(CASES):
        doc = json.load(open(os.path.join(OUT, case + '.json')))
        y_np = numpy_forward(doc)
        res = tfjs.get(case, {})
        if doc['oracle'] == 'numpy':
            # TF.js cannot build this model (causal Conv1D): the float64 numpy forward is the golden.
            if 'error' not in res:
                raise SystemExit(f'{case}: TF.js now loads it; compare instead of using numpy alone')
            expected, rel = y_np, 0.0
            oracle = ('float64 numpy forward (Keras 2 semantics); TF.js ' + res['tfjs_version'] +
                      ' cannot build it: ' + res['error'][:120])
        else:
            if 'error' in res:
                raise SystemExit(f'{case}: TF.js failed: {res["error"]}')
            y_tfjs = np.asarray(res['output'], dtype=np.float64).reshape(res['shape'])
            # Cross-check: 1e-5 relative plus 1e-7 absolute (float32 rounding of saturated
            # sigmoids); deep float32 conv stacks get 1e-6 absolute.
            diff = np.abs(y_tfjs - y_np)
            rel = float(np.max(diff / (np.abs(y_np) + 1e-2)))
            if not np.all(diff <= 1e-5 * np.abs(y_np) + 1e-6):
                raise SystemExit(f'{case}: TF.js and numpy disagree, max abs diff {diff.max()}')
            expected = y_tfjs
            oracle = ('TF.js ' + res['tfjs_version'] + ' (cpu, float32) from the Keras config; '
                      'cross-checked with a float64 numpy forward')
        fixture = {'generator': 'tools/golden/keras_models_oracle.py + keras_models_oracle.js',
                   'oracle': oracle,
                   'h5py_version': h5py.__version__, 'numpy_version': np.__version__,
                   'cross_check_max_rel_diff': rel,
                   'model_file': doc['model_file'], 'config_source': doc['config_source'],
                   'model_sha256': doc['model_sha256'], 'input_shape': doc['input_shape'],
                   'inputs': doc['inputs'], 'output_shape': list(expected.shape),
                   'expected': expected.reshape(-1).tolist()}
        with open(os.path.join(FIXTURES, case + '.json'), 'w') as f:
            json.dump(fixture, f, indent=0)
        print(f'{case}: {doc["oracle"]} (cross-check max rel diff {rel:.2e})')


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'dump':
        dump(sys.argv[2] if len(sys.argv) > 2 else MODELS)
    elif len(sys.argv) == 2 and sys.argv[1] == 'fixtures':
        fixtures()
    else:
        raise SystemExit(__doc__)
