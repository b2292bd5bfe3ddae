// TF.js layers-model fixtures: small models built and saved by TF.js 4.22 (cpu backend, float32)
// in the layout TF.js's converter and its Node/HTTP handlers use, plus TF.js's own predictions.
// Writes tests/golden/tfjs_models/<case>/{model.json, group1-shard<i>of<n>.bin, expected.json}.
//
// model.json = {modelTopology, format: "layers-model", generatedBy, convertedBy,
//               weightsManifest: [{paths: [...], weights: [{name, shape, dtype[, group]}]}]
//               [, trainingConfig]}
// The shard files are the model's weight data (little-endian, in manifest order) cut into
// consecutive pieces; a weight may straddle two shards, as in the converter's output.
// Every weight is overwritten with seeded xorshift32 values (biases included, BatchNormalization
// variances positive) so that each weight matters; the inputs are seeded the same way.
// Each case is loaded back by TF.js from the written files (tf.loadLayersModel with a handler
// that reads them) and must predict the same numbers bit for bit before anything is written.
// Usage: cd tools/golden && npm ci && node tfjs_models.js
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const OUT = path.join(__dirname, '..', '..', 'tests', 'golden', 'tfjs_models');

// Values exact in float32 (xorshift32 on multiples of 1/256).
const { seed, rnd, grid } = require('./exact_grid');
function ids(n, vocab, zeroEvery) {  // ids in [1, vocab), every `zeroEvery`-th one 0 (padding)
  const out = [];
  for (let i = 0; i < n; i++) out.push(zeroEvery && i % zeroEvery === 0 ? 0 : 1 + (rnd() % (vocab - 1)));
  return out;
}
const prod = (s) => s.reduce((a, b) => a * b, 1);

// Seeded values for every weight; BatchNormalization's moving_variance stays positive.
function setSeededWeights(model, s) {
  seed(s);
  for (const layer of model.layers) {
    const ws = layer.weights;
    if (ws.length === 0) continue;
    layer.setWeights(ws.map((w) => {
      const v = grid(prod(w.shape), 0.5);
      const positive = w.originalName.endsWith('/moving_variance');
      return tf.tensor(positive ? v.map((x) => 0.25 + Math.abs(x)) : v, w.shape, 'float32');
    }));
  }
}

// ---- the cases ---------------------------------------------------------------------------------

function mlp() {  // Sequential MLP, compiled and trained one step: saved with its optimizer state
  const model = tf.sequential({ layers: [
    tf.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
    tf.layers.dense({ units: 5, activation: 'tanh' }),
    tf.layers.dense({ units: 3, activation: 'softmax' })] });
  setSeededWeights(model, 101);
  seed(102);
  const x = { shape: [4, 6], values: grid(24, 1) };
  return { model, inputs: [x], shards: 1, includeOptimizer: true,
    train: async () => {
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
      await model.trainOnBatch(tf.tensor(x.values, x.shape), y);
    } };
}

function cnn() {  // Conv2D + MaxPooling2D + Conv2D + Flatten + Dense, in three shards
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [9, 9, 2] }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', strides: 1 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 4, activation: 'softmax' })] });
  setSeededWeights(model, 201);
  seed(202);
  return { model, inputs: [{ shape: [2, 9, 9, 2], values: grid(2 * 9 * 9 * 2, 1) }], shards: 3 };
}

function textLstm() {  // Embedding(mask_zero) + LSTM + Dense(sigmoid), padded ids
  const model = tf.sequential({ layers: [
    tf.layers.embedding({ inputDim: 20, outputDim: 5, inputLength: 7, maskZero: true }),
    tf.layers.lstm({ units: 6 }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  setSeededWeights(model, 301);
  seed(302);
  return { model, inputs: [{ shape: [3, 7], values: ids(21, 20, 5) }], shards: 2 };
}

function textBigruTd() {  // Embedding + Bidirectional(GRU, sequences) + TimeDistributed(Dense)
  const model = tf.sequential({ layers: [
    tf.layers.embedding({ inputDim: 15, outputDim: 4, inputLength: 6 }),
    tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true }), mergeMode: 'concat' }),
    tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) })] });
  setSeededWeights(model, 401);
  seed(402);
  return { model, inputs: [{ shape: [2, 6], values: ids(12, 15, 0) }], shards: 1 };
}

function twoInputs() {  // functional: two inputs, Concatenate, BatchNormalization
  const a = tf.input({ shape: [6], name: 'wide' });
  const b = tf.input({ shape: [4], name: 'deep' });
  const ha = tf.layers.dense({ units: 5, activation: 'relu' }).apply(a);
  const hb = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(b);
  const cat = tf.layers.concatenate().apply([ha, hb]);
  const bn = tf.layers.batchNormalization().apply(cat);
  const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(bn);
  const model = tf.model({ inputs: [a, b], outputs: out, name: 'two_inputs' });
  setSeededWeights(model, 501);
  seed(502);
  return { model, inputs: [{ shape: [3, 6], values: grid(18, 1) }, { shape: [3, 4], values: grid(12, 1) }],
    shards: 2 };
}

// Layers with several outputs: an encoder LSTM with returnState whose final [h, c] start a decoder
// LSTM (Keras's seq2seq pattern: inbound tensor indices 1 and 2), a GRU's state fed to a Dense
// layer, and a model with two outputs, one of them a state.
function seq2seqStates() {
  const enc = tf.input({ shape: [5, 3], name: 'encoder_in' });
  const dec = tf.input({ shape: [4, 2], name: 'decoder_in' });
  const [encSeq, h, c] = tf.layers.lstm({ units: 4, returnState: true, returnSequences: true })
    .apply(enc);
  const decSeq = tf.layers.lstm({ units: 4, returnSequences: true }).apply(dec, { initialState: [h, c] });
  const [, gh] = tf.layers.gru({ units: 3, returnState: true, resetAfter: false }).apply(encSeq);
  const ctx = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(gh);
  const rep = tf.layers.repeatVector({ n: 4 }).apply(ctx);
  const both = tf.layers.concatenate().apply([decSeq, rep]);
  const out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }).apply(both);
  const model = tf.model({ inputs: [enc, dec], outputs: [out, h], name: 'seq2seq_states' });
  setSeededWeights(model, 601);
  seed(602);
  return { model, inputs: [{ shape: [2, 5, 3], values: grid(30, 1) }, { shape: [2, 4, 2], values: grid(16, 1) }],
    shards: 1 };
}

// Bidirectional returning every tensor (Keras 2 order): merge_mode null gives [y_fwd, y_bwd] and
// return_state appends the forward then the backward states; a second Bidirectional GRU starts
// from states computed from the first one's (initialState: first half forward, second backward).
function bidirectionalStates() {
  const x = tf.input({ shape: [6, 3], name: 'seq_in' });
  const [yf, yb, hf, cf, hb, cb] = tf.layers.bidirectional({
    layer: tf.layers.lstm({ units: 4, returnSequences: true, returnState: true }), mergeMode: null,
  }).apply(x);
  const both = tf.layers.concatenate().apply([yf, yb]);
  const s0 = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(tf.layers.concatenate().apply([hf, cf]));
  const s1 = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(tf.layers.concatenate().apply([hb, cb]));
  const [y2, gf, gb] = tf.layers.bidirectional({
    layer: tf.layers.gru({ units: 3, returnState: true, resetAfter: false }), mergeMode: 'sum',
  }).apply(both, { initialState: [s0, s1] });
  const out = tf.layers.concatenate().apply([y2, gf, gb]);
  const model = tf.model({ inputs: x, outputs: [out, yb], name: 'bidirectional_states' });
  setSeededWeights(model, 701);
  seed(702);
  return { model, inputs: [{ shape: [2, 6, 3], values: grid(36, 1) }], shards: 1 };
}

const CASES = { mlp, cnn, text_lstm: textLstm, text_bigru_td: textBigruTd, functional_two_inputs: twoInputs,
  seq2seq_states: seq2seqStates, bidirectional_states: bidirectionalStates };

// ---- writing and reading back ------------------------------------------------------------------

// The artifacts TF.js hands to a save handler.
async function artifactsOf(model, includeOptimizer) {
  let saved = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer: !!includeOptimizer });
  return saved;
}

// Cuts `bytes` into n consecutive pieces at offsets that are not weight boundaries.
function cut(bytes, n) {
  const pieces = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const end = i === n ? bytes.length : Math.floor((bytes.length * i) / n) + 1;
    pieces.push(bytes.subarray(start, end));
    start = end;
  }
  return pieces;
}

function writeCase(dir, artifacts, nShards) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const paths = cut(bytes, nShards).map((piece, i) => {
    const name = `group1-shard${i + 1}of${nShards}.bin`;
    fs.writeFileSync(path.join(dir, name), piece);
    return name;
  });
  // The key order of TF.js's own model.json writer (getModelJSONForModelArtifacts).
  const modelJson = { modelTopology: artifacts.modelTopology, format: artifacts.format,
    generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }] };
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
}

// A load handler that reads model.json and its shards from `dir`, as TF.js's HTTP loader does.
function fileHandler(dir) {
  return { load: async () => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const specs = [];
      const buffers = [];
      for (const group of manifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const b = fs.readFileSync(path.join(dir, p));
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
        }
      }
      return [specs, tf.io.concatenateArrayBuffers(buffers)];
    });
  } };
}

// The prediction: one {shape, values}, or a list of them for a model with several outputs.
async function predict(model, inputs) {
  const xs = inputs.map((x) => tf.tensor(x.values, x.shape, 'float32'));
  const y = model.predict(xs.length === 1 ? xs[0] : xs);
  const one = async (t) => ({ shape: t.shape, values: Array.from(await t.data()) });
  if (Array.isArray(y)) return Promise.all(y.map(one));
  return one(y);
}

async function main() {
  await tf.setBackend('cpu');
  // All cases in one run, in this order: TF.js numbers its layer names per process
  // (dense_Dense1, dense_Dense2, ...), so the names in the files depend on it.
  for (const [name, make] of Object.entries(CASES)) {
    const c = make();
    if (c.train) await c.train();
    const y = await predict(c.model, c.inputs);
    const dir = path.join(OUT, name);
    writeCase(dir, await artifactsOf(c.model, c.includeOptimizer), c.shards);
    const reloaded = await tf.loadLayersModel(fileHandler(dir));
    const y2 = await predict(reloaded, c.inputs);
    if (JSON.stringify(y2) !== JSON.stringify(y)) throw new Error(`${name}: the written files predict differently`);
    const expected = {
      case: name,
      generator: { script: 'tools/golden/tfjs_models.js', tfjs: tf.version.tfjs, node: process.version,
        backend: tf.getBackend() },
      inputs: c.model.inputs.map((t, k) => ({ name: c.model.inputLayers[k].name, shape: c.inputs[k].shape,
        values: c.inputs[k].values })),
    };
    if (Array.isArray(y)) expected.outputs = y;
    else expected.output = y;
    fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected) + '\n');
    const size = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    const shapes = Array.isArray(y) ? y.map((t) => `[${t.shape}]`).join(' ') : `[${y.shape}]`;
    console.log(`${name}: output ${shapes}, ${c.shards} shard(s), ${size} bytes`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
