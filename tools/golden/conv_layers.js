// Golden fixtures for the convolution layers: Conv2D, Conv1D, DepthwiseConv2D, SeparableConv2D.
// For each case: fixed input x and weights (multiples of 1/64 and 1/256, exact in float32), the
// forward output y, and the gradients of L = sum(y * R) (R fixed, multiples of 1/16) w.r.t. x
// and every weight, in Keras weight order. Oracle: TF.js 4.22, pure-JS `cpu` backend, float32.
//   - tf.layers.{conv2d, conv1d, depthwiseConv2d, separableConv2d} where the layer follows Keras
//     (oracles.md §1: Conv2D/Conv1D valid/same incl. the asymmetric "same" pads match Keras).
//   - groups > 1 (absent from tfjs-layers): the definition of grouped convolution in core ops:
//     split the channels and the kernel's filters into `groups` parts, tf.conv2d each, concat.
//   - causal Conv1D (the TF.js layer throws): the documented work-around (oracles.md §1),
//     tf.pad(x, [[0,0],[d*(k-1),0],[0,0]]) then a "valid" tf.conv1d.
// Gradients come from tf.variableGrads / tf.grads. Writes tests/golden/layers/conv_*.json.
// Run: cd tools/golden && npm ci && node conv_layers.js
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const OUT_DIR = path.join(__dirname, '..', '..', 'tests', 'golden', 'layers');

// xorshift32: deterministic values on a grid, exactly representable in float32.
function makeRng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}
function gridValues(n, seed, steps, scale) {
  // Integers in [-steps, steps] divided by `scale`.
  const rng = makeRng(seed);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = ((rng() % (2 * steps + 1)) - steps) / scale;
  return out;
}
const numel = (shape) => shape.reduce((a, b) => a * b, 1);
const flat = (t) => Array.from(t.dataSync());

// Keras weight shapes of each layer class for a given input channel count.
function weightShapes(c) {
  const cin = c.input_shape[c.input_shape.length - 1];
  const k = c.config.kernel_size;
  const bias = c.config.use_bias;
  switch (c.class_name) {
    case 'Conv2D':
      return [['kernel', [k[0], k[1], cin / c.config.groups, c.config.filters]],
        ...(bias ? [['bias', [c.config.filters]]] : [])];
    case 'Conv1D':
      return [['kernel', [k[0], cin / c.config.groups, c.config.filters]],
        ...(bias ? [['bias', [c.config.filters]]] : [])];
    case 'DepthwiseConv2D':
      return [['depthwise_kernel', [k[0], k[1], cin, c.config.depth_multiplier]],
        ...(bias ? [['bias', [cin * c.config.depth_multiplier]]] : [])];
    case 'SeparableConv2D':
      return [['depthwise_kernel', [k[0], k[1], cin, c.config.depth_multiplier]],
        ['pointwise_kernel', [1, 1, cin * c.config.depth_multiplier, c.config.filters]],
        ...(bias ? [['bias', [c.config.filters]]] : [])];
    default: throw new Error(c.class_name);
  }
}

function tfjsLayer(c) {
  const k = c.config;
  const common = {
    kernelSize: k.kernel_size.length === 1 ? k.kernel_size[0] : k.kernel_size,
    strides: k.strides.length === 1 ? k.strides[0] : k.strides,
    padding: k.padding,
    dilationRate: k.dilation_rate.length === 1 ? k.dilation_rate[0] : k.dilation_rate,
    useBias: k.use_bias,
    activation: k.activation,
  };
  switch (c.class_name) {
    case 'Conv2D': return tf.layers.conv2d({ ...common, filters: k.filters });
    case 'Conv1D': return tf.layers.conv1d({ ...common, filters: k.filters });
    case 'DepthwiseConv2D':
      return tf.layers.depthwiseConv2d({ ...common, depthMultiplier: k.depth_multiplier });
    case 'SeparableConv2D':
      return tf.layers.separableConv2d({ ...common, filters: k.filters,
        depthMultiplier: k.depth_multiplier });
    default: throw new Error(c.class_name);
  }
}

function activate(y, name) {
  switch (name) {
    case 'linear': return y;
    case 'tanh': return tf.tanh(y);
    case 'sigmoid': return tf.sigmoid(y);
    default: throw new Error(name);
  }
}

// Core-op forward for the cases the layers cannot run (groups > 1, causal padding).
function coreForward(c, x, ws) {
  const k = c.config;
  const [kernel, bias] = ws;
  let y;
  if (c.class_name === 'Conv2D') {  // grouped convolution by definition
    const xs = tf.split(x, k.groups, 3);
    const ks = tf.split(kernel, k.groups, 3);
    y = tf.concat(xs.map((xi, i) => tf.conv2d(xi, ks[i], k.strides, k.padding, 'NHWC',
      k.dilation_rate)), 3);
  } else if (c.class_name === 'Conv1D' && k.padding === 'causal') {
    const d = k.dilation_rate[0];
    const xp = tf.pad(x, [[0, 0], [d * (k.kernel_size[0] - 1), 0], [0, 0]]);
    y = tf.conv1d(xp, kernel, k.strides[0], 'valid', 'NWC', d);
  } else {
    throw new Error('no core-op path for ' + c.name);
  }
  if (bias) y = tf.add(y, bias);
  return activate(y, k.activation);
}

// TF.js 4.22 has no conv gradient for dilation > 1 ("dilation rates greater than 1 are not yet
// supported in gradients"): those cases record the forward only (grad_* null); the engine's
// float64 finite-difference checks cover their gradients.
const dilated = (c) => c.config.dilation_rate.some((d) => d > 1);

function runCase(c, seed) {
  const shapes = weightShapes(c);
  const xVals = gridValues(numel(c.input_shape), seed, 64, 64);
  const wVals = shapes.map(([, s], i) => gridValues(numel(s), seed + 101 * (i + 1), 128, 256));
  const x = tf.tensor(xVals, c.input_shape, 'float32');
  const useCore = c.config.groups > 1 || c.config.padding === 'causal';
  let y; let grads; let method;
  if (useCore) {
    method = c.config.groups > 1
      ? 'TF.js core ops: grouped convolution as split + tf.conv2d per group + concat (+ bias), tf.grads'
      : 'TF.js core ops: tf.pad(x, [[0,0],[d*(k-1),0],[0,0]]) + valid tf.conv1d (+ bias), tf.grads (oracles.md §1 work-around)';
    const ws = shapes.map(([, s], i) => tf.tensor(wVals[i], s, 'float32'));
    y = coreForward(c, x, ws);
    const R = tf.tensor(gridValues(numel(y.shape), seed + 7, 16, 16), y.shape, 'float32');
    if (!dilated(c)) {
      const g = tf.grads((...args) => tf.sum(tf.mul(coreForward(c, args[0], args.slice(1)), R)));
      grads = g([x, ...ws]);
    }
    return { y, R, grads, method };
  }
  method = 'tfjs-layers ' + c.class_name + ' (tf.layers), tf.variableGrads';
  const layer = tfjsLayer(c);
  layer.apply(x);  // build
  layer.setWeights(shapes.map(([, s], i) => tf.tensor(wVals[i], s, 'float32')));
  const names = layer.trainableWeights.map((w) => w.originalName || w.name);
  if (layer.trainableWeights.length !== shapes.length) throw new Error('weight count ' + c.name);
  y = layer.apply(x);
  const R = tf.tensor(gridValues(numel(y.shape), seed + 7, 16, 16), y.shape, 'float32');
  if (!dilated(c)) {
    const xv = tf.variable(x, true, 'x_' + c.name);
    const vars = [xv, ...layer.trainableWeights.map((w) => w.read())];
    const { grads: gmap } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xv), R)), vars);
    grads = vars.map((v) => gmap[v.name]);
  }
  return { y, R, grads, method, tfjs_weight_names: names };
}

function caseJson(c, seed) {
  const r = runCase(c, seed);
  const shapes = weightShapes(c);
  const xVals = gridValues(numel(c.input_shape), seed, 64, 64);
  return {
    name: c.name,
    class_name: c.class_name,
    config: c.config,
    method: r.method,
    x: { shape: c.input_shape, values: xVals },
    weights: shapes.map(([name, s], i) => ({
      name, shape: s, values: gridValues(numel(s), seed + 101 * (i + 1), 128, 256) })),
    R: { shape: r.y.shape, values: flat(r.R) },
    y: { shape: r.y.shape, values: flat(r.y) },
    grad_x: r.grads ? flat(r.grads[0]) : null,
    grad_weights: r.grads ? shapes.map(([name], i) => ({ name, values: flat(r.grads[i + 1]) }))
      : null,
    ...(r.grads ? {} : { note: 'forward only: TF.js 4.22 has no conv gradient for dilation > 1' }),
  };
}

function cfg(o) {
  return { strides: [1, 1], padding: 'valid', dilation_rate: [1, 1], groups: 1,
    activation: 'linear', use_bias: true, ...o };
}
function cfg1(o) {
  return { strides: [1], padding: 'valid', dilation_rate: [1], groups: 1, activation: 'linear',
    use_bias: true, ...o };
}

const SUITES = {
  conv_conv2d: [
    { name: 'valid_3x3', class_name: 'Conv2D', input_shape: [2, 6, 7, 3],
      config: cfg({ filters: 4, kernel_size: [3, 3] }) },
    { name: 'same_k4x3_stride2', class_name: 'Conv2D', input_shape: [2, 7, 6, 2],
      config: cfg({ filters: 3, kernel_size: [4, 3], strides: [2, 2], padding: 'same' }) },
    { name: 'same_k2_asymmetric', class_name: 'Conv2D', input_shape: [1, 5, 5, 2],
      config: cfg({ filters: 3, kernel_size: [2, 2], padding: 'same' }) },
    { name: 'same_dilation2_tanh', class_name: 'Conv2D', input_shape: [1, 7, 8, 2],
      config: cfg({ filters: 3, kernel_size: [3, 3], padding: 'same', dilation_rate: [2, 2],
        activation: 'tanh' }) },
    { name: 'valid_stride_2x1_no_bias', class_name: 'Conv2D', input_shape: [2, 7, 5, 2],
      config: cfg({ filters: 2, kernel_size: [3, 2], strides: [2, 1], use_bias: false }) },
    { name: 'groups2_same', class_name: 'Conv2D', input_shape: [2, 5, 6, 4],
      config: cfg({ filters: 6, kernel_size: [3, 3], padding: 'same', groups: 2 }) },
  ],
  conv_conv1d: [
    { name: 'same_k4', class_name: 'Conv1D', input_shape: [2, 9, 3],
      config: cfg1({ filters: 4, kernel_size: [4], padding: 'same' }) },
    { name: 'valid_stride2', class_name: 'Conv1D', input_shape: [2, 10, 3],
      config: cfg1({ filters: 2, kernel_size: [3], strides: [2] }) },
    { name: 'valid_dilation2_sigmoid', class_name: 'Conv1D', input_shape: [1, 11, 2],
      config: cfg1({ filters: 3, kernel_size: [3], dilation_rate: [2], activation: 'sigmoid' }) },
    { name: 'causal_k3', class_name: 'Conv1D', input_shape: [2, 8, 2],
      config: cfg1({ filters: 3, kernel_size: [3], padding: 'causal' }) },
    { name: 'causal_k3_dilation2', class_name: 'Conv1D', input_shape: [1, 10, 2],
      config: cfg1({ filters: 2, kernel_size: [3], padding: 'causal', dilation_rate: [2] }) },
  ],
  conv_depthwise_conv2d: [
    { name: 'same_dm2', class_name: 'DepthwiseConv2D', input_shape: [2, 6, 5, 3],
      config: cfg({ kernel_size: [3, 3], depth_multiplier: 2, padding: 'same' }) },
    { name: 'valid_k3x2_stride2', class_name: 'DepthwiseConv2D', input_shape: [1, 7, 7, 2],
      config: cfg({ kernel_size: [3, 2], depth_multiplier: 1, strides: [2, 2] }) },
  ],
  conv_separable_conv2d: [
    { name: 'same_dm1', class_name: 'SeparableConv2D', input_shape: [2, 6, 6, 3],
      config: cfg({ filters: 4, kernel_size: [3, 3], depth_multiplier: 1, padding: 'same' }) },
    { name: 'valid_dm2_stride2', class_name: 'SeparableConv2D', input_shape: [1, 8, 7, 2],
      config: cfg({ filters: 3, kernel_size: [3, 3], depth_multiplier: 2, strides: [2, 2] }) },
  ],
};
for (const cases of [SUITES.conv_depthwise_conv2d, SUITES.conv_separable_conv2d]) {
  for (const c of cases) delete c.config.groups;
}

async function main() {
  await tf.setBackend('cpu');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  let seed = 1000;
  for (const [file, cases] of Object.entries(SUITES)) {
    const doc = {
      generator: { script: 'tools/golden/conv_layers.js', tfjs: tf.version.tfjs,
        backend: tf.getBackend(), node: process.version, dtype: 'float32' },
      loss: 'L = sum(y * R); grad_x and grad_weights are dL/dx and dL/dw (weights in Keras order)',
      cases: cases.map((c) => caseJson(c, (seed += 17))),
    };
    const out = path.join(OUT_DIR, file + '.json');
    fs.writeFileSync(out, JSON.stringify(doc) + '\n');
    console.log(out, doc.cases.length, 'cases');
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
