// TF.js oracle for the pooling / normalisation / padding layer fixtures of tfc
// (tests/golden/layers/pool_*.json, norm_*.json). Pure-JS cpu backend, float32.
// Each case records the input x, a fixed cotangent R, the layer output y and the gradients of
// L = sum(y * R) with respect to x (and gamma/beta for the normalisation layers).
// Not taken from TF.js (oracles.md §1): the AveragePooling "same" gradient and masked
// GlobalAveragePooling1D; pool_norm_torch.py writes those.
// Usage: cd tools/golden && npm ci && node pool_norm_tfjs.js
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const GOLDEN = path.join(__dirname, '..', '..', 'tests', 'golden', 'layers');

// xorshift32; values k / 32768 for k in [-32768, 32767], distinct within a tensor (no ties for
// max pooling). Mirrored in pool_norm_torch.py.
function makeRng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}
function values(n, seed, scale = 1) {
  const next = makeRng(seed);
  const seen = new Set(); const out = [];
  while (out.length < n) {
    const k = (next() % 65536) - 32768;
    if (seen.has(k)) continue;
    seen.add(k); out.push((k / 32768) * scale);
  }
  return out;
}
function numel(shape) { return shape.reduce((a, b) => a * b, 1); }
function flat(t) { return Array.from(t.dataSync()); }

function generator(extra) {
  return Object.assign({
    script: 'tools/golden/pool_norm_tfjs.js',
    tfjs: tf.version.tfjs,
    node: process.version,
    backend: tf.getBackend(),
    oracle: 'TF.js layers (cpu backend, float32): forward and tf.grad of sum(y * R)',
  }, extra || {});
}

// A stateless layer: forward and d(sum(y*R))/dx.
function statelessCase(name, cls, config, shape, seed, withGrad = true) {
  const x = tf.tensor(values(numel(shape), seed), shape);
  const layer = tf.layers[cls](config);
  const y = layer.apply(x);
  const r = tf.tensor(values(y.size, seed + 1000), y.shape);
  const out = {
    name, class_name: layer.getClassName(), config,
    x_shape: shape, x: flat(x), y_shape: y.shape, y: flat(y), r: flat(r),
  };
  if (withGrad) out.dx = flat(tf.grad((xx) => tf.sum(tf.mul(layer.apply(xx), r)))(x));
  return out;
}

function write(file, cases, extra) {
  const doc = { generator: generator(extra), cases };
  fs.writeFileSync(path.join(GOLDEN, file), JSON.stringify(doc) + '\n');
  console.log('wrote', file, cases.length, 'cases');
}

async function main() {
  await tf.setBackend('cpu');
  fs.mkdirSync(GOLDEN, { recursive: true });

  // ---- 2-D pooling ----
  const pool2d = [];
  const p2 = [
    ['pool2_valid', { poolSize: [2, 2], padding: 'valid' }, [2, 5, 6, 3]],
    ['pool3_s2_valid', { poolSize: [3, 3], strides: [2, 2], padding: 'valid' }, [2, 7, 6, 2]],
    ['pool2_same', { poolSize: [2, 2], padding: 'same' }, [2, 5, 5, 3]],
    ['pool3_s1_same', { poolSize: [3, 3], strides: [1, 1], padding: 'same' }, [1, 4, 5, 2]],
    ['pool3x2_s2x1_same', { poolSize: [3, 2], strides: [2, 1], padding: 'same' }, [2, 5, 4, 2]],
  ];
  let seed = 11;
  for (const [n, cfg, shape] of p2) {
    pool2d.push(statelessCase('max_' + n, 'maxPooling2d', cfg, shape, seed++));
    // 'same' average: TF.js' gradient divides by the full window, so it is not recorded here.
    pool2d.push(statelessCase('avg_' + n, 'averagePooling2d', cfg, shape, seed++,
      cfg.padding === 'valid'));
  }
  write('pool_2d.json', pool2d);

  // ---- 1-D pooling ----
  const pool1d = [];
  const p1 = [
    ['pool2_valid', { poolSize: 2, padding: 'valid' }, [2, 7, 3]],
    ['pool3_s2_valid', { poolSize: 3, strides: 2, padding: 'valid' }, [2, 8, 2]],
    ['pool2_same', { poolSize: 2, padding: 'same' }, [2, 5, 3]],
    ['pool3_s1_same', { poolSize: 3, strides: 1, padding: 'same' }, [2, 6, 2]],
  ];
  for (const [n, cfg, shape] of p1) {
    pool1d.push(statelessCase('max_' + n, 'maxPooling1d', cfg, shape, seed++));
    pool1d.push(statelessCase('avg_' + n, 'averagePooling1d', cfg, shape, seed++,
      cfg.padding === 'valid'));
  }
  write('pool_1d.json', pool1d);

  // ---- global pooling (no mask) ----
  const glob = [
    statelessCase('gap1d', 'globalAveragePooling1d', {}, [3, 5, 4], seed++),
    statelessCase('gmp1d', 'globalMaxPooling1d', {}, [3, 5, 4], seed++),
    statelessCase('gap2d', 'globalAveragePooling2d', {}, [2, 3, 4, 3], seed++),
    statelessCase('gmp2d', 'globalMaxPooling2d', {}, [2, 3, 4, 3], seed++),
  ];
  write('pool_global.json', glob);

  // ---- padding / cropping / up-sampling ----
  const reshaping = [
    statelessCase('zero_padding_1', 'zeroPadding2d', { padding: 1 }, [2, 3, 4, 2], seed++),
    statelessCase('zero_padding_pair', 'zeroPadding2d', { padding: [1, 2] }, [1, 3, 3, 2], seed++),
    statelessCase('zero_padding_full', 'zeroPadding2d', { padding: [[1, 0], [2, 3]] }, [2, 2, 3, 1], seed++),
    statelessCase('cropping_full', 'cropping2D', { cropping: [[1, 2], [0, 1]] }, [2, 5, 4, 2], seed++),
    statelessCase('cropping_int', 'cropping2D', { cropping: 1 }, [1, 4, 4, 3], seed++),
    // TF.js' cpu gradient of resizeNearestNeighbor is wrong for batch > 1 (the block sums of
    // the second sample differ by up to 4.2 from sum-over-blocks), so only the forward is kept.
    statelessCase('upsampling_2', 'upSampling2d', { size: [2, 2] }, [2, 2, 3, 2], seed++, false),
    statelessCase('upsampling_2x3', 'upSampling2d', { size: [2, 3] }, [1, 3, 2, 2], seed++),
  ];
  write('pool_reshaping.json', reshaping);

  // ---- BatchNormalization: one training call and one inference call ----
  const bn = [];
  const bnCases = [
    ['bn_2d', [6, 4], {}],
    ['bn_4d', [2, 3, 3, 3], {}],
    ['bn_4d_momentum', [3, 2, 2, 2], { momentum: 0.9, epsilon: 1e-5 }],
  ];
  for (const [name, shape, cfg] of bnCases) {
    const c = shape[shape.length - 1];
    const w = {
      gamma: values(c, seed + 1, 1).map((v) => 1 + v / 2),
      beta: values(c, seed + 2, 0.5),
      moving_mean: values(c, seed + 3, 0.25),
      moving_variance: values(c, seed + 4, 0.25).map((v) => 1 + v),
    };
    const x = tf.tensor(values(numel(shape), seed, 2), shape);
    const r = tf.tensor(values(numel(shape), seed + 5), shape);
    seed += 6;
    for (const training of [true, false]) {
      const layer = tf.layers.batchNormalization(cfg);
      layer.build(shape);
      layer.setWeights([w.gamma, w.beta, w.moving_mean, w.moving_variance]
        .map((v) => tf.tensor1d(v)));
      const xv = tf.variable(x.clone(), true, name + '_x' + training);
      const { value, grads } = tf.variableGrads(() => {
        const y = layer.apply(xv, { training });
        return tf.sum(tf.mul(y, r));
      });
      const yCall = (() => {  // the output of the call, on a fresh layer with the same weights
        const l2 = tf.layers.batchNormalization(cfg);
        l2.build(shape);
        l2.setWeights([w.gamma, w.beta, w.moving_mean, w.moving_variance].map((v) => tf.tensor1d(v)));
        return l2.apply(x, { training });
      })();
      const weights = layer.getWeights().map(flat);
      const gkeys = Object.keys(grads);
      const find = (p) => flat(grads[gkeys.find((k) => k === p || k.startsWith(p + '_'))]);
      bn.push({
        name: name + (training ? '_training' : '_inference'),
        class_name: 'BatchNormalization',
        config: Object.assign({ axis: -1, momentum: 0.99, epsilon: 1e-3 }, cfg),
        training, x_shape: shape, x: flat(x), r: flat(r),
        initial_weights: w,
        y: flat(yCall), loss: value.dataSync()[0],
        dx: find(name + '_x' + training), dgamma: find('gamma'), dbeta: find('beta'),
        moving_mean_after: weights[2], moving_variance_after: weights[3],
      });
    }
  }
  write('norm_batch.json', bn);

  // ---- LayerNormalization ----
  const ln = [];
  for (const [name, shape, cfg] of [['ln_2d', [3, 5], {}], ['ln_3d', [2, 3, 6], { epsilon: 1e-5 }]]) {
    const c = shape[shape.length - 1];
    const gamma = values(c, seed + 1).map((v) => 1 + v / 2);
    const beta = values(c, seed + 2, 0.5);
    const x = tf.tensor(values(numel(shape), seed, 2), shape);
    const r = tf.tensor(values(numel(shape), seed + 3), shape);
    seed += 4;
    const layer = tf.layers.layerNormalization(cfg);
    layer.build(shape);
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const xv = tf.variable(x.clone(), true, name + '_x');
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xv), r)));
    const gkeys = Object.keys(grads);
    const find = (p) => flat(grads[gkeys.find((k) => k === p || k.startsWith(p + '_'))]);
    ln.push({
      name, class_name: 'LayerNormalization', config: Object.assign({ axis: -1, epsilon: 1e-3 }, cfg),
      x_shape: shape, x: flat(x), r: flat(r), gamma, beta, y: flat(layer.apply(x)),
      dx: find(name + '_x'), dgamma: find('gamma'), dbeta: find('beta'),
    });
  }
  write('norm_layer.json', ln);
}

main().catch((e) => { console.error(e); process.exit(1); });
