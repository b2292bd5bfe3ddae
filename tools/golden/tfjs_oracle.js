// TF.js oracle for the tfc golden fixtures (optimizers, losses, metrics).
// Reads out/cases.json (written by `keras_formulas.py cases`) and writes out/tfjs_results.json,
// which `keras_formulas.py fixtures` turns into fixtures (TF.js as the oracle where it follows
// Keras 2) or uses as the cross-check (where the Keras-2 formulas in torch are the oracle).
// Pure-JS cpu backend, float32.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const OUT = path.join(__dirname, 'out');

function weightTensors(ws) {
  return ws.map((w) => tf.tensor(Float32Array.from(w.values), w.shape, 'float32'));
}

function flat(t) { return Array.from(t.dataSync()); }

function oneHot(labels, k) {
  return tf.oneHot(tf.tensor1d(labels.map((v) => (Array.isArray(v) ? v[0] : v)), 'int32'), k).toFloat();
}

// Loss used in the TF.js model. CE losses take the pre-activation logits (linear last layer):
// this is how Keras 2 computes them after a sigmoid/softmax activation (logits shortcut).
function makeLoss(c) {
  const R = tf.Reduction.NONE;
  switch (c.loss) {
    case 'mse': return 'meanSquaredError';
    case 'mae': return 'meanAbsoluteError';
    case 'huber': {
      const d = c.loss_spec.config.delta;
      return (y, p) => tf.mean(tf.losses.huberLoss(y, p, undefined, d, R), -1);
    }
    case 'binary_crossentropy':
      return (y, z) => tf.mean(tf.losses.sigmoidCrossEntropy(y, z, undefined, 0, R), -1);
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy': // labels are fed one-hot
      return (y, z) => tf.losses.softmaxCrossEntropy(y, z, undefined, 0, R);
    default: throw new Error(c.loss);
  }
}

function makeOptimizer(c) {
  const o = c.optimizer; const k = o.config;
  switch (o.class_name) {
    case 'SGD': return tf.train.momentum(k.learning_rate, k.momentum, k.nesterov);
    case 'RMSprop': return tf.train.rmsprop(k.learning_rate, k.rho, k.momentum, k.epsilon, k.centered);
    case 'Adagrad': return tf.train.adagrad(k.learning_rate, k.initial_accumulator_value);
    case 'Adam': return tf.train.adam(k.learning_rate, k.beta_1, k.beta_2, k.epsilon);
    default: throw new Error(o.class_name);
  }
}

function targets(c) {
  if (c.loss === 'sparse_categorical_crossentropy') return oneHot(c.y, c.units);
  return tf.tensor(c.y, undefined, 'float32');
}

// tfjs-layers model + compile + trainOnBatch (the TF.js Keras-like training path).
async function runLayers(c, steps) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
      tf.layers.dense({ units: c.units, activation: 'linear' }),
    ],
  });
  model.setWeights(weightTensors(c.initial_weights));
  const opt = makeOptimizer(c);
  model.compile({ optimizer: opt, loss: makeLoss(c) });
  const x = tf.tensor(c.x, undefined, 'float32');
  const y = targets(c);
  const losses = []; let after1 = null;
  let method = 'tfjs-layers Sequential.trainOnBatch with tf.train.' + opt.getClassName();
  if (c.activation !== 'linear') method += ', linear last layer + tf.losses.' + (c.activation === 'sigmoid' ? 'sigmoidCrossEntropy' : 'softmaxCrossEntropy') + ' on the logits';
  else if (c.loss === 'huber') method += ', loss tf.losses.huberLoss';
  if (c.optimizer.class_name === 'Adam') {
    method += '; epsilon set to eps/sqrt(1-beta_2^t) before step t, which turns TF.js\' bias-corrected form into Keras\' epsilon-hat form';
  }
  for (let t = 1; t <= steps; t++) {
    if (c.optimizer.class_name === 'Adam') {
      const k = c.optimizer.config;
      opt.epsilon = k.epsilon / Math.sqrt(1 - Math.pow(k.beta_2, t));
    }
    const l = await model.trainOnBatch(x, y);
    losses.push(Array.isArray(l) ? l[0] : l);
    if (t === 1) after1 = model.getWeights().map(flat);
  }
  return { method, losses, weights_after_step_1: after1, final_weights: model.getWeights().map(flat) };
}

// Hand-written Keras-2 update (tf ops, float32) with TF.js autograd: used where TF.js has no
// matching optimizer (changing lr with momentum, clipnorm, clipvalue).
function runManual(c, steps) {
  const vars = weightTensors(c.initial_weights).map((t) => tf.variable(t));
  const [W1, b1, W2, b2] = vars;
  const x = tf.tensor(c.x, undefined, 'float32');
  const y = targets(c);
  const k = c.optimizer.config;
  const mom = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const losses = []; let after1 = null;
  for (let t = 1; t <= steps; t++) {
    const lr = c.learning_rates[t - 1];
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.relu(tf.add(tf.matMul(x, W1), b1));
        const z = tf.add(tf.matMul(h, W2), b2);
        return tf.mean(tf.mean(tf.square(tf.sub(y, z)), -1));
      }, vars);
      losses.push(value.dataSync()[0]);
      vars.forEach((v, i) => {
        let g = grads[v.name];
        if (k.clipnorm !== undefined) {
          const n = tf.sqrt(tf.sum(tf.square(g)));
          g = tf.div(tf.mul(g, k.clipnorm), tf.maximum(n, k.clipnorm));
        }
        if (k.clipvalue !== undefined) g = tf.clipByValue(g, -k.clipvalue, k.clipvalue);
        if (k.momentum > 0) {
          mom[i].assign(tf.sub(tf.mul(mom[i], k.momentum), tf.mul(g, lr)));
          v.assign(tf.add(v, mom[i]));
        } else {
          v.assign(tf.sub(v, tf.mul(g, lr)));
        }
      });
    });
    if (t === 1) after1 = vars.map(flat);
  }
  return {
    method: 'tfjs-core autograd (tf.variableGrads) + the Keras-2 update written in tf ops (float32)',
    losses, weights_after_step_1: after1, final_weights: vars.map(flat),
  };
}

// ---- losses: per-sample loss in TF.js, reduced as Keras' sum_over_batch_size, gradient by tf.grad
let sccLoss = null;
function layersLossFn(name) {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1] })] });
  m.compile({ optimizer: 'sgd', loss: name });
  return (m.model || m).lossFunctions[0];
}

function lossCase(c) {
  const R = tf.Reduction.NONE;
  const yp = tf.tensor(c.y_pred, undefined, 'float32');
  const k = yp.shape[yp.shape.length - 1];
  let yt; let perFn; let method; let withGrad = true;
  switch (c.tfjs) {
    case 'sigmoid_ce':
      yt = tf.tensor(c.y_true); method = 'tf.losses.sigmoidCrossEntropy on the logits';
      perFn = (p) => tf.mean(tf.losses.sigmoidCrossEntropy(yt, p, undefined, 0, R), -1); break;
    case 'softmax_ce':
      yt = c.y_int ? oneHot(c.y_true, k) : tf.tensor(c.y_true); method = 'tf.losses.softmaxCrossEntropy on the logits';
      perFn = (p) => tf.losses.softmaxCrossEntropy(yt, p, undefined, 0, R); break;
    case 'cce_prob':
      yt = tf.tensor(c.y_true); method = 'tf.metrics.categoricalCrossentropy (tfjs-layers loss)';
      perFn = (p) => tf.metrics.categoricalCrossentropy(yt, p); break;
    case 'scce_prob':
      yt = tf.tensor(c.y_true, undefined, 'float32'); method = 'tfjs-layers sparseCategoricalCrossentropy (value only: its gradient is 0 at clipped entries, oracles.md section 3)';
      if (!sccLoss) sccLoss = layersLossFn('sparseCategoricalCrossentropy');
      perFn = (p) => sccLoss(yt, p); withGrad = false; break;
    case 'mse':
      yt = tf.tensor(c.y_true); method = 'tf.metrics.meanSquaredError';
      perFn = (p) => tf.metrics.meanSquaredError(yt, p); break;
    case 'mae':
      yt = tf.tensor(c.y_true); method = 'tf.metrics.meanAbsoluteError';
      perFn = (p) => tf.metrics.meanAbsoluteError(yt, p); break;
    case 'huber':
      yt = tf.tensor(c.y_true); method = 'tf.losses.huberLoss';
      perFn = (p) => tf.mean(tf.losses.huberLoss(yt, p, undefined, c.loss.config.delta, R), -1); break;
    default: throw new Error(c.tfjs);
  }
  const sw = c.sample_weight ? tf.tensor1d(c.sample_weight) : null;
  const n = yp.shape[0];
  const valFn = (p) => {
    let per = perFn(p);
    if (sw) per = tf.mul(per, sw);
    return tf.div(tf.sum(per), n);
  };
  const value = valFn(yp).dataSync()[0];
  const grad = withGrad ? flat(tf.grad(valFn)(yp)) : null;
  return { method, value, grad };
}

function metricCase(c) {
  const yt = tf.tensor(c.y_true, undefined, 'float32');
  const yp = tf.tensor(c.y_pred, undefined, 'float32');
  const fns = {
    binary_accuracy: ['tf.metrics.binaryAccuracy', tf.metrics.binaryAccuracy],
    categorical_accuracy: ['tf.metrics.categoricalAccuracy', tf.metrics.categoricalAccuracy],
    sparse_categorical_accuracy: ['tf.metrics.sparseCategoricalAccuracy', tf.metrics.sparseCategoricalAccuracy],
    mae: ['tf.metrics.meanAbsoluteError', tf.metrics.meanAbsoluteError],
    mse: ['tf.metrics.meanSquaredError', tf.metrics.meanSquaredError],
  };
  const [method, fn] = fns[c.metric];
  return { method, per_sample: flat(tf.reshape(fn(yt, yp), [-1])) };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error('cpu backend not active');
  const cases = JSON.parse(fs.readFileSync(path.join(OUT, 'cases.json'), 'utf8'));
  const res = { version: tf.version.tfjs, node: process.version, backend: tf.getBackend(), epsilon: tf.backend().epsilon(),
    training: {}, losses: {}, metrics: {} };
  for (const c of cases.training) {
    res.training[c.name] = c.tfjs_mode === 'manual' ? runManual(c, cases.steps) : await runLayers(c, cases.steps);
  }
  for (const c of cases.losses) {
    if (c.tfjs) res.losses[c.name] = tf.tidy(() => lossCase(c));
  }
  for (const c of cases.metrics) res.metrics[c.name] = tf.tidy(() => metricCase(c));
  fs.writeFileSync(path.join(OUT, 'tfjs_results.json'), JSON.stringify(res));
  console.log(`TF.js ${res.version} (${res.backend}, epsilon ${res.epsilon}): ${Object.keys(res.training).length} training runs, `
    + `${Object.keys(res.losses).length} loss cases, ${Object.keys(res.metrics).length} metric cases -> out/tfjs_results.json`);
}

main().catch((e) => { console.error(e); process.exit(1); });
