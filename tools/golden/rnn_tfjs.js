// Golden fixtures for the recurrent layers from TF.js 4.22 (cpu backend, float32): SimpleRNN,
// LSTM (sigmoid and hard_sigmoid), GRU(reset_after=false), each with and without a mask
// (Embedding(mask_zero) in front, zero initial state), and Bidirectional(LSTM) without a mask.
// oracles.md §1 lists these as matching Keras 2. Writes tests/golden/layers/rnn_tfjs.json with
// the inputs, the weights, the output and the gradients of L = sum(y * R) w.r.t. the float input
// and every weight (in Keras weight order).
// Usage: cd tools/golden && npm ci && node rnn_tfjs.js
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// Values exact in float32 (xorshift32 on multiples of 1/256), from the default seed.
const { grid } = require('./exact_grid');
const prod = (s) => s.reduce((a, b) => a * b, 1);

const B = 2, T = 5, I = 3, U = 4, V = 6, D = 3;
// ids with padding zeros at the end, in the middle and at the start
const IDS = [[3, 1, 0, 5, 0], [0, 2, 4, 1, 3]];

function rnnLayer(kind, spec, extra) {
  const common = Object.assign({ units: U, returnSequences: spec.seq, kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros', biasInitializer: 'zeros' }, extra || {});
  if (kind === 'simple_rnn') return tf.layers.simpleRNN(Object.assign({ activation: 'tanh' }, common));
  if (kind === 'lstm') return tf.layers.lstm(Object.assign({ recurrentActivation: (spec.ra === 'hard_sigmoid' ? 'hardSigmoid' : 'sigmoid'), unitForgetBias: false }, common));
  if (kind === 'gru') return tf.layers.gru(Object.assign({ recurrentActivation: (spec.ra === 'hard_sigmoid' ? 'hardSigmoid' : 'sigmoid'), resetAfter: false }, common));
  throw new Error(kind);
}

const CASES = [
  { name: 'simple_rnn_seq', kind: 'simple_rnn', seq: true },
  { name: 'simple_rnn_last', kind: 'simple_rnn', seq: false },
  { name: 'lstm_seq', kind: 'lstm', seq: true },
  { name: 'lstm_last', kind: 'lstm', seq: false },
  { name: 'lstm_hard_sigmoid_seq', kind: 'lstm', seq: true, ra: 'hard_sigmoid' },
  { name: 'gru_reset_before_seq', kind: 'gru', seq: true },
  { name: 'gru_reset_before_last', kind: 'gru', seq: false },
  { name: 'masked_simple_rnn_seq', kind: 'simple_rnn', seq: true, masked: true },
  { name: 'masked_lstm_seq', kind: 'lstm', seq: true, masked: true },
  { name: 'masked_lstm_last', kind: 'lstm', seq: false, masked: true },
  { name: 'masked_gru_reset_before_seq', kind: 'gru', seq: true, masked: true },
  { name: 'masked_gru_reset_before_last', kind: 'gru', seq: false, masked: true },
  { name: 'bidirectional_lstm_seq_concat', kind: 'lstm', seq: true, bidir: 'concat' },
  { name: 'bidirectional_lstm_seq_sum', kind: 'lstm', seq: true, bidir: 'sum' },
  { name: 'bidirectional_lstm_last_mul', kind: 'lstm', seq: false, bidir: 'mul' },
  { name: 'bidirectional_lstm_seq_ave', kind: 'lstm', seq: true, bidir: 'ave' },
];

function runCase(c) {
  const model = tf.sequential();
  const inFeat = c.masked ? D : I;
  if (c.masked) model.add(tf.layers.embedding({ inputDim: V, outputDim: D, maskZero: true, inputShape: [T] }));
  let layer = rnnLayer(c.kind, c, c.masked ? {} : { inputShape: [T, I] });
  if (c.bidir) layer = tf.layers.bidirectional({ layer: rnnLayer(c.kind, c), mergeMode: c.bidir, inputShape: [T, I] });
  model.add(layer);
  // Seeded weights in the model's weight order (Keras order).
  const weights = model.weights.map((w) => {
    const lim = w.name.includes('bias') ? 0.3 : w.name.includes('embeddings') ? 1.0 : 0.6;
    return { name: w.name, shape: w.shape, values: grid(prod(w.shape), lim) };
  });
  model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape, 'float32')));
  const x = c.masked ? tf.tensor(IDS, [B, T], 'float32') : tf.tensor(grid(B * T * I, 1.0), [B, T, I]);
  const outShape = model.outputs[0].shape.slice(); outShape[0] = B;
  const R = tf.tensor(grid(prod(outShape), 1.0), outShape);
  const y = model.predict(x);
  const loss = (xx) => tf.sum(tf.mul(model.apply(xx, { training: false }), R));
  const { grads } = tf.variableGrads(() => loss(x));
  const gradW = model.trainableWeights.map((w) => Array.from(grads[w.originalName || w.val.name].dataSync()));
  let gradX = null;
  if (!c.masked) gradX = Array.from(tf.grad((xx) => loss(xx))(x).dataSync());
  return {
    name: c.name, layer: c.kind, return_sequences: c.seq, recurrent_activation: c.kind === 'simple_rnn' ? null : (c.ra || 'sigmoid'),
    reset_after: c.kind === 'gru' ? false : null, masked: !!c.masked, bidirectional: c.bidir || null, units: U,
    input_shape: c.masked ? [B, T] : [B, T, I], input_dtype: c.masked ? 'int32' : 'float32',
    x: Array.from(x.dataSync()), weights, R: Array.from(R.dataSync()), output_shape: outShape,
    output: Array.from(y.dataSync()), grad_x: gradX, grad_weights: gradW, features: inFeat,
  };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const cases = CASES.map((c) => tf.tidy(() => runCase(c)));
  const doc = {
    generator: { script: 'tools/golden/rnn_tfjs.js', tfjs: tf.version.tfjs, node: process.version, backend: tf.getBackend(),
      oracle: 'TF.js layers (cpu, float32): output and tf.variableGrads / tf.grad of L = sum(y * R); matches Keras 2 for these layers (oracles.md §1)' },
    loss: 'sum(y * R)', weight_order: 'Keras order (model.weights): embeddings, kernel, recurrent_kernel, bias; Bidirectional forward then backward',
    cases,
  };
  const out = path.join(__dirname, '..', '..', 'tests', 'golden', 'layers', 'rnn_tfjs.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(doc));
  console.log(`TF.js ${tf.version.tfjs}: ${cases.length} cases -> ${out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
