#!/usr/bin/python3
"""Golden predictions for real Keras model files (tests/golden/keras_models/*.json).

Step 1 `dump`: reads each file with h5py only (no Keras, no tfc code): the model config (the
`model_config` attribute, a companion architecture JSON, or config.json inside a .keras zip) and
the weights of each layer in file order (legacy `layer_names` / `weight_names`, or Keras 3
`layers/<name>/vars/<i>`). Writes out/keras_models/<case>.json with fixed inputs.
Step 2 (node keras_models_oracle.js) predicts with TF.js from that config and those weights.
Step 3 `fixtures`: recomputes every prediction with an independent float64 numpy forward
(Dense, Conv1D/2D incl. causal, pooling, BatchNormalization, Embedding, global pooling, SimpleRNN,
LSTM, GRU both reset_after, Bidirectional, TimeDistributed, merge layers; functional configs are
evaluated as a graph over `inbound_nodes`, with Keras mask propagation and RNN initial states),
requires agreement with TF.js, and writes the fixtures. Cases marked 'numpy' (causal Conv1D,
which TF.js cannot build; a masked decoder LSTM with a non-zero initial state, where TF.js follows
the Keras 2.2.4 masked-output rule instead of the tf.keras 2.x one) take the numpy values.

Fixture layout. A single-input model (every case before the two functional multi-input ones)
keeps the original keys, one number per line:
    generator, oracle, h5py_version, numpy_version, cross_check_max_rel_diff, model_file,
    config_source, model_sha256, input_shape, inputs, output_shape, expected
A multi-input model has `inputs_list` instead of `input_shape` / `inputs`, one entry per model
input in the order of the config's `input_layers` (= the order of the model's inputs), and is
written compactly (one line per key, arrays on one line):
    "inputs_list": [{"name": "wide_input", "shape": [B, 5], "values": [row-major floats]}, ...]
It may also carry `note` (a semantic decision) and `tfjs_comparison` (what TF.js gave where it is
not the oracle). `expected` is always the row-major flattening of an `output_shape` array.

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
MODELS = os.path.join(HERE, "..", "..", "..", "shared", "keras-models")

# case name -> (model file, config source, per-sample input shape[, options])
# options: 'vocab' = integer ids in [0, vocab) (inputs that feed an Embedding; some rows start
# with zeros); 'batch'; 'oracle' = 'numpy' where TF.js cannot serve (causal Conv1D, see
# ../shared/docs/oracles.md section 4), otherwise TF.js cross-checked by numpy.
# Multi-input models: the shape is a list of per-sample shapes, one per model input in the order
# of the config's `input_layers`; 'vocab' and 'pads' are then lists with one entry per input.
# 'pads' (ids only) replaces the default leading-zero rule: per row, (leading zeros, trailing
# zeros, [other zero positions]). 'tfjs_rule' = 'keras2.2.4_masked_output' on a 'numpy' case:
# TF.js runs but follows the Keras 2.2.4 rule for the output of a masked RNN step (repeat the
# state h, so a non-zero initial state shows at leading masked steps) where tf.keras 2.x repeats
# the previous output (zeros before the first unmasked step, oracles.md section 1); TF.js is then
# checked against the numpy forward run with the 2.2.4 rule, and the expected values use the 2.x
# rule.
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
    # Multi-input functional models (inputs_list fixtures). New cases go last: case_seed follows
    # the order of this dict.
    'tfkeras2.2.4-tf_wide_deep_functional_concat': (
        'tfkeras2.2.4-tf_wide_deep_functional_concat.h5', None, [[5], [6]]),
    'keras2.2.4_seq2seq_functional_embedding_lstm': (
        'keras2.2.4_seq2seq_functional_embedding_lstm.h5', None, [[85], [45]],
        {'vocab': [54, 89], 'batch': 3, 'oracle': 'numpy', 'tfjs_rule': 'keras2.2.4_masked_output',
         # row 0 unpadded; row 1 pre-padded; row 2 post-padded with one zero id inside the sequence
         'pads': [[(0, 0), (3, 0), (0, 25, [20])], [(0, 0), (3, 0), (0, 12, [10])]]}),
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


def inputs_for(shape, seed, batch, vocab=None, pads=None):
    # Multiples of 1/64 in [0, 1): exact in float32. xorshift32, seeded per case. With a vocab:
    # integer ids in [1, vocab), and row r starts with 3r zeros (padding); with `pads`, row r gets
    # pads[r] = (leading zeros, trailing zeros[, other zero positions]) instead.
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
            if pads is None:
                zeros = range(min(3 * r, steps))
            else:
                lead, trail = pads[r][:2]
                zeros = list(range(lead)) + list(range(steps - trail, steps)) + \
                    list(pads[r][2] if len(pads[r]) > 2 else [])
            for t in zeros:
                x[r * steps + t] = 0.0
    return x


def functional_io(config, key):
    """[(layer name, node index, tensor index)] of `input_layers` / `output_layers`."""
    refs = config['config'][key]
    if refs and isinstance(refs[0], str):  # Keras 3 writes a single input as one flat triple
        refs = [refs]
    return [(r[0], int(r[1]), int(r[2])) for r in refs]


def is_multi_input(shape):
    return bool(shape) and isinstance(shape[0], list)


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
               'model_sha256': sha, 'oracle': opts.get('oracle', 'tfjs')}
        if is_multi_input(shape):
            # One entry per model input, in `input_layers` order; input k is seeded seed + 1000 k.
            names_ = [r[0] for r in functional_io(config, 'input_layers')]
            assert len(names_) == len(shape), (case, names_)
            vocab = opts.get('vocab', [None] * len(shape))
            pads = opts.get('pads', [None] * len(shape))
            doc['inputs_list'] = [
                {'name': nm, 'shape': [batch] + shp,
                 'values': inputs_for(shp, case_seed(case) + 1000 * k, batch, vocab[k], pads[k])}
                for k, (nm, shp) in enumerate(zip(names_, shape))]
        else:
            doc['input_shape'] = [batch] + shape
            doc['inputs'] = inputs_for(shape, case_seed(case), batch, opts.get('vocab'))
        doc['config'] = config
        doc['weights'] = [{'layer': n, 'arrays': [{'shape': list(a.shape),
                                                   'values': a.reshape(-1).tolist()} for a in arrs]}
                          for n, arrs in weights]
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


def rnn(cls, cfg, w, x, mask, zero_output_for_mask=False, initial_state=None,
        masked_output='tf2'):
    """SimpleRNN / LSTM / GRU over x [N, T, F] (Keras 2 semantics, masks included).

    initial_state: None (zeros) or the state arrays [h] / [h, c] (LSTM), each [N, units].
    At a masked step the states are carried unchanged and the output is, as in tf.keras 2.x
    (keras/backend.py rnn), the previous step's output, which starts as zeros
    (masked_output='tf2'); Keras 2.2.4 (keras/backend/tensorflow_backend.py rnn) used the
    previous state h instead (masked_output='keras2.2.4'), which is the same unless a non-zero
    initial state meets leading masked steps. zero_output_for_mask (Bidirectional with
    return_sequences) outputs zeros there. Without return_sequences the result is the last
    step's output.
    """
    units = cfg['units']
    kernel, rec = w[0], w[1]
    bias = w[2] if cfg.get('use_bias', True) else np.zeros(kernel.shape[1])
    f_act = act(cfg, 'activation', 'tanh')
    g_act = act(cfg, 'recurrent_activation', 'sigmoid')
    n, steps = x.shape[0], x.shape[1]
    order = range(steps - 1, -1, -1) if cfg.get('go_backwards', False) else range(steps)
    h = np.zeros((n, units))
    c = np.zeros((n, units))
    if initial_state:
        h = np.broadcast_to(initial_state[0], (n, units)).astype(np.float64)
        if cls == 'LSTM':
            assert len(initial_state) == 2, 'LSTM initial_state is [h, c]'
            c = np.broadcast_to(initial_state[1], (n, units)).astype(np.float64)
    prev_out = np.zeros((n, units))
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
            if zero_output_for_mask:
                fill = 0.0
            elif masked_output == 'keras2.2.4':
                fill = h
            else:
                assert masked_output == 'tf2'
                fill = prev_out
            out_t = np.where(m, h_new, fill)
            h = np.where(m, h_new, h)
            c = np.where(m, c_new, c)
        else:
            h, c, out_t = h_new, c_new, h_new
        prev_out = out_t
        outs.append(out_t)
    if cfg.get('return_sequences', False):
        return np.stack(outs, 1)
    return outs[-1]


MERGE = {'Add': lambda xs: sum(xs[1:], xs[0]), 'Subtract': lambda xs: xs[0] - xs[1],
         'Multiply': lambda xs: np.prod(np.stack(xs), 0), 'Average': lambda xs: np.mean(np.stack(xs), 0),
         'Maximum': lambda xs: np.max(np.stack(xs), 0), 'Minimum': lambda xs: np.min(np.stack(xs), 0)}


def apply_layer(cls, cfg, w, x, mask, initial_state=None, masked_output='tf2'):
    """One layer's inference on x (a list of arrays for merge layers) with the incoming mask.

    Returns (output, output mask) with the output mask as Keras computes it: Embedding with
    mask_zero makes one; RNNs pass it on only with return_sequences; Dense, Activation,
    Dropout, BatchNormalization, TimeDistributed and InputLayer pass it through; a merge layer of
    unmasked inputs has none; every other layer drops it.
    """
    if cls in ('Dropout', 'InputLayer'):
        return x, mask
    if cls == 'Flatten':
        return x.reshape(x.shape[0], -1), None
    if cls == 'Dense':
        return act(cfg)(x @ w[0] + (w[1] if cfg.get('use_bias', True) else 0)), mask
    if cls == 'Activation':
        return act(cfg)(x), mask
    if cls in ('Conv1D', 'Conv2D'):
        nsp = 1 if cls == 'Conv1D' else 2
        assert cfg.get('groups', 1) == 1 and cfg.get('data_format', 'channels_last') == 'channels_last'
        x = conv_nd(x, w[0], w[1] if cfg.get('use_bias', True) else None,
                    ints(cfg.get('strides', 1), nsp), ints(cfg.get('dilation_rate', 1), nsp),
                    cfg.get('padding', 'valid'))
        return act(cfg)(x), None
    if cls in ('MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D'):
        nsp = 1 if cls.endswith('1D') else 2
        pool = ints(cfg.get('pool_size', 2), nsp)
        strides = ints(cfg['strides'], nsp) if cfg.get('strides') is not None else pool
        return pool_nd(x, pool, strides, cfg.get('padding', 'valid'),
                       'max' if cls.startswith('Max') else 'avg'), None
    if cls == 'BatchNormalization':
        k = 0
        gamma = w[k] if cfg.get('scale', True) else 1.0
        k += cfg.get('scale', True)
        beta = w[k] if cfg.get('center', True) else 0.0
        k += cfg.get('center', True)
        mean, var = w[k], w[k + 1]
        axis = cfg.get('axis', -1)
        axis = axis[0] if isinstance(axis, list) else axis
        assert axis in (-1, x.ndim - 1)
        return (x - mean) / np.sqrt(var + cfg.get('epsilon', 1e-3)) * gamma + beta, mask
    if cls == 'Embedding':
        ids = x.astype(np.int64)
        return w[0][ids], (ids != 0 if cfg.get('mask_zero', False) else None)
    if cls == 'GlobalAveragePooling1D':
        if mask is None:
            return x.mean(1), None
        m = mask[..., None].astype(np.float64)
        return (x * m).sum(1) / m.sum(1), None
    if cls == 'GlobalMaxPooling1D':
        return x.max(1), None
    if cls in ('SimpleRNN', 'LSTM', 'GRU'):
        assert not cfg.get('return_state', False), 'return_state is not covered'
        y = rnn(cls, cfg, w, x, mask, initial_state=initial_state, masked_output=masked_output)
        return y, (mask if cfg.get('return_sequences', False) else None)
    if cls == 'Bidirectional':
        assert initial_state is None
        inner = cfg['layer']
        icls, icfg = inner['class_name'], inner['config']
        half = len(w) // 2
        rs = icfg.get('return_sequences', False)
        yf = rnn(icls, icfg, w[:half], x, mask, rs, masked_output=masked_output)
        yb = rnn(icls, dict(icfg, go_backwards=not icfg.get('go_backwards', False)), w[half:], x,
                 mask, rs, masked_output=masked_output)
        if rs:
            yb = yb[:, ::-1]
        mode = cfg.get('merge_mode', 'concat')
        y = {'concat': lambda: np.concatenate([yf, yb], -1), 'sum': lambda: yf + yb,
             'ave': lambda: (yf + yb) / 2, 'mul': lambda: yf * yb}[mode]()
        return y, (mask if rs else None)
    if cls == 'TimeDistributed':
        # The wrapped layer on every step: fold time into the batch, as Keras does.
        inner = cfg['layer']
        n, steps = x.shape[:2]
        y, _ = apply_layer(inner['class_name'], inner['config'], w,
                           x.reshape((n * steps,) + x.shape[2:]), None)
        return y.reshape((n, steps) + y.shape[1:]), mask
    if cls == 'Concatenate' or cls in MERGE:
        xs, masks = x, mask if mask is not None else [None] * len(x)
        if cls == 'Concatenate':
            axis = cfg.get('axis', -1)
            y = np.concatenate(xs, axis)
        else:
            y = MERGE[cls](xs)
        if all(m is None for m in masks):
            return y, None
        # Keras: a missing mask counts as all-true; concatenation along the last axis (and every
        # elementwise merge) keeps a step only where every input keeps it.
        assert cls != 'Concatenate' or axis in (-1, y.ndim - 1), 'masked concat on a non-last axis'
        out = None
        for m in masks:
            if m is not None:
                out = m if out is None else np.logical_and(out, m)
        return y, out
    raise SystemExit(f'numpy forward does not cover {cls}')


def _tensor_ref(v):
    """(layer, node, tensor) if v references a Keras tensor in a node's call arguments, else None.

    Keras 2 / tf.keras: ["name", node_index, tensor_index] (plus a kwargs dict for first-argument
    entries); Keras 3: {"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}.
    """
    if isinstance(v, dict) and v.get('class_name') == '__keras_tensor__':
        kh = v['config']['keras_history']
        return kh[0], int(kh[1]), int(kh[2])
    if (isinstance(v, list) and len(v) in (3, 4) and isinstance(v[0], str)
            and isinstance(v[1], int) and isinstance(v[2], int)):
        return v[0], v[1], v[2]
    return None


def _node_call(node):
    """A node of `inbound_nodes` -> (first-argument refs, list or single, initial_state refs)."""
    if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
        args, kwargs = node.get('args', []), node.get('kwargs', {})
        first = args[0]
        if _tensor_ref(first) is not None:
            inputs = _tensor_ref(first)
        else:
            inputs = [_tensor_ref(t) for t in first]
        init = kwargs.get('initial_state')
        if init is None and len(args) > 1:
            raise SystemExit('positional call arguments after the inputs are not covered')
    else:  # Keras 2: [[name, node, tensor, kwargs], ...]
        refs = [_tensor_ref(e) for e in node]
        inputs = refs[0] if len(refs) == 1 else refs
        kwargs = {}
        for e in node:
            if len(e) > 3 and e[3]:
                kwargs.update(e[3])
        init = kwargs.get('initial_state')
    if init is not None:
        init = [_tensor_ref(t) for t in (init if isinstance(init, list) and _tensor_ref(init) is None
                                         else [init])]
    return inputs, init


def graph_forward(config, xs, weights, masked_output='tf2'):
    """Evaluates a functional config: xs holds one array per `input_layers` entry, in order."""
    layers = config_layers(config)
    values = {}  # (layer, node index, tensor index) -> (array, mask)
    for (name, node, tensor), x in zip(functional_io(config, 'input_layers'), xs):
        values[(name, node, tensor)] = (x, None)
    pending = [(layer, k, node) for layer in layers
               for k, node in enumerate(layer.get('inbound_nodes', []))]
    while pending:
        progressed, rest = False, []
        for layer, k, node in pending:
            lname = layer.get('name', layer['config'].get('name'))
            inputs, init = _node_call(node)
            refs = (inputs if isinstance(inputs, list) else [inputs]) + (init or [])
            if not all(r in values for r in refs):
                rest.append((layer, k, node))
                continue
            cls, cfg = layer['class_name'], layer['config']
            rnn_like = cls in ('SimpleRNN', 'LSTM', 'GRU', 'Bidirectional')
            if rnn_like and isinstance(inputs, list):
                # Keras 2 called an RNN on [x, *initial_state]: the extra inputs are the states.
                inputs, init = inputs[0], inputs[1:] + (init or [])
            if isinstance(inputs, list):
                x, mask = [values[r][0] for r in inputs], [values[r][1] for r in inputs]
            else:
                x, mask = values[inputs]
            state = [values[r][0] for r in init] if init else None
            y, ymask = apply_layer(cls, cfg, weights.get(cfg.get('name', lname), []), x, mask,
                                   initial_state=state, masked_output=masked_output)
            values[(lname, k, 0)] = (y, ymask)
            progressed = True
        if not progressed:
            raise SystemExit(f'graph has unreachable nodes: {[p[0]["name"] for p in rest]}')
        pending = rest
    outs = [values[r][0] for r in functional_io(config, 'output_layers')]
    return outs[0] if len(outs) == 1 else outs


def doc_inputs(doc):
    """The dumped inputs as arrays, in model-input order."""
    if 'inputs_list' in doc:
        return [np.asarray(e['values'], dtype=np.float64).reshape(e['shape'])
                for e in doc['inputs_list']]
    return [np.asarray(doc['inputs'], dtype=np.float64).reshape(doc['input_shape'])]


def numpy_forward(doc, masked_output='tf2'):
    """An independent float64 Keras-2 inference forward: a Sequential chain, or a functional
    graph (any config with `input_layers`)."""
    weights = {w['layer']: [np.asarray(a['values']).reshape(a['shape']) for a in w['arrays']]
               for w in doc['weights']}
    xs = doc_inputs(doc)
    config = doc['config']
    if isinstance(config['config'], dict) and 'input_layers' in config['config']:
        return graph_forward(config, xs, weights, masked_output)
    x, mask = xs[0], None
    for layer in config_layers(config):
        cls, cfg = layer['class_name'], layer['config']
        x, mask = apply_layer(cls, cfg, weights.get(cfg.get('name'), []), x, mask,
                              masked_output=masked_output)
    return x


def write_compact(path, fixture):
    """One line per key (arrays on one line); one line per entry of inputs_list."""
    lines = []
    for k, v in fixture.items():
        if k == 'inputs_list':
            body = ',\n'.join(json.dumps(e) for e in v)
            lines.append(f'{json.dumps(k)}: [\n{body}\n]')
        else:
            lines.append(f'{json.dumps(k)}: {json.dumps(v)}')
    with open(path, 'w') as f:
        f.write('{\n' + ',\n'.join(lines) + '\n}\n')


def agreement(y_tfjs, y_ref):
    """(ok, max rel diff): 1e-5 relative plus 1e-6 absolute (float32 rounding)."""
    diff = np.abs(y_tfjs - y_ref)
    ok = bool(np.all(diff <= 1e-5 * np.abs(y_ref) + 1e-6))
    return ok, float(np.max(diff / (np.abs(y_ref) + 1e-2)))


def fixtures():
    tfjs = json.load(open(os.path.join(OUT, 'tfjs_results.json')))
    os.makedirs(FIXTURES, exist_ok=True)
    for case in sorted(CASES):
        doc = json.load(open(os.path.join(OUT, case + '.json')))
        opts = case_options(case)
        y_np = numpy_forward(doc)
        res = tfjs.get(case, {})
        extra = {}
        if doc['oracle'] == 'numpy' and opts.get('tfjs_rule') == 'keras2.2.4_masked_output':
            # TF.js runs, but repeats the state h at a masked step (the Keras 2.2.4 rule) where
            # tf.keras 2.x repeats the previous output, zeros before the first unmasked step.
            # The numpy forward with the 2.2.4 rule must agree with TF.js (that checks all the
            # rest of the maths); the expected values use the 2.x rule.
            if 'error' in res:
                raise SystemExit(f'{case}: TF.js failed: {res["error"]}')
            y_tfjs = np.asarray(res['output'], dtype=np.float64).reshape(res['shape'])
            ok, rel = agreement(y_tfjs, numpy_forward(doc, masked_output='keras2.2.4'))
            if not ok:
                raise SystemExit(f'{case}: TF.js and the numpy forward (Keras 2.2.4 rule) disagree')
            expected = y_np
            diff = np.abs(y_tfjs - y_np)
            bad = np.argwhere(diff.reshape(diff.shape[0], diff.shape[1], -1).max(-1) > 1e-5)
            where = {}
            for r, t in bad.tolist():
                where.setdefault(str(r), []).append(t)
            oracle = ('float64 numpy forward (tf.keras 2.x semantics: at a masked RNN step the '
                      'states are carried and the output repeats the previous output, zeros before '
                      'the first unmasked step). TF.js ' + res['tfjs_version'] + ' runs it but '
                      'follows the Keras 2.2.4 rule (a masked step outputs the previous state h), '
                      'so the decoder initial state leaks into leading masked steps: max abs diff '
                      f'{float(diff.max()):.3g} there. Cross-check: the same numpy forward with the '
                      f'Keras 2.2.4 rule agrees with TF.js to max rel diff {rel:.2e}')
            extra = {
                'note': ('Keras 2.2.4 (keras/backend/tensorflow_backend.py rnn) output '
                         'where(mask, output, states[0]) at a masked step; tf.keras 2.x '
                         '(keras/backend.py rnn) outputs where(mask, output, prev_output) with '
                         'prev_output starting at zeros. They differ only where a non-zero '
                         'initial state meets leading masked steps: here lstm_2 (initial state = '
                         'lstm_1 output for both h and c) on pre-padded decoder rows. expected '
                         'follows tf.keras 2.x; hard_sigmoid = clip(0.2x + 0.5, 0, 1) as in the '
                         'config.'),
                'tfjs_comparison': {
                    'tfjs_version': res['tfjs_version'], 'status': 'runs (no error)',
                    'max_abs_diff_vs_expected': float(diff.max()),
                    'steps_differing_by_row': where,
                    'max_rel_diff_vs_numpy_keras2.2.4_rule': rel}}
        elif doc['oracle'] == 'numpy':
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
            ok, rel = agreement(y_tfjs, y_np)
            if not ok:
                raise SystemExit(f'{case}: TF.js and numpy disagree, max abs diff '
                                 f'{np.abs(y_tfjs - y_np).max()}')
            expected = y_tfjs
            oracle = ('TF.js ' + res['tfjs_version'] + ' (cpu, float32) from the Keras config; '
                      'cross-checked with a float64 numpy forward')
        fixture = {'generator': 'tools/golden/keras_models_oracle.py + keras_models_oracle.js',
                   'oracle': oracle,
                   'h5py_version': h5py.__version__, 'numpy_version': np.__version__,
                   'cross_check_max_rel_diff': rel,
                   'model_file': doc['model_file'], 'config_source': doc['config_source'],
                   'model_sha256': doc['model_sha256']}
        path = os.path.join(FIXTURES, case + '.json')
        if 'inputs_list' in doc:
            fixture.update(extra)
            fixture.update({'inputs_list': doc['inputs_list'], 'output_shape': list(expected.shape),
                            'expected': expected.reshape(-1).tolist()})
            write_compact(path, fixture)
        else:
            # Single-input layout, unchanged: one number per line.
            fixture.update({'input_shape': doc['input_shape'], 'inputs': doc['inputs'],
                            'output_shape': list(expected.shape),
                            'expected': expected.reshape(-1).tolist()})
            with open(path, 'w') as f:
                json.dump(fixture, f, indent=0)
        print(f'{case}: {doc["oracle"]} (cross-check max rel diff {rel:.2e})')


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'dump':
        dump(sys.argv[2] if len(sys.argv) > 2 else MODELS)
    elif len(sys.argv) == 2 and sys.argv[1] == 'fixtures':
        fixtures()
    else:
        raise SystemExit(__doc__)
