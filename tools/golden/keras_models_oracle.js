// Step 2 of keras_models_oracle.py: builds each dumped model in TF.js 4.22 from its Keras config
// (tf.models.modelFromJSON), sets each layer's weights in file order, predicts on the fixed
// inputs, and writes out/keras_models/tfjs_results.json.
// A single-input dump holds `inputs` + `input_shape`; a multi-input (functional) dump holds
// `inputs_list` = [{name, shape, values}, ...] in the order of the config's `input_layers`, which
// is the order of model.inputs, and is predicted with a list of tensors in that order.
// Keras 3 configs get only rewrites that keep the maths: drop module / registered_name /
// build_config, batch_shape -> batch_input_shape, DTypePolicy dict -> its dtype string; a lazily
// built first layer gets build_input_shape.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function shim(v) {
  if (Array.isArray(v)) return v.map(shim);
  if (v === null || typeof v !== 'object') return v;
  if (v.class_name === 'DTypePolicy' && v.config) return v.config.name;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'module' || k === 'registered_name' || k === 'build_config' ||
        k === 'compile_config' || k === 'shared_object_id' || k === 'quantization_config' ||
        k === 'optional') continue;
    out[k === 'batch_shape' ? 'batch_input_shape' : k] = shim(x);
  }
  return out;
}

async function predict(doc) {
  const topology = shim(doc.config);
  // A Sequential whose first layer has no input shape (built lazily in Keras) gets the
  // config's build_input_shape, which is what Keras built it with.
  const layers = Array.isArray(topology.config) ? topology.config : topology.config.layers;
  const first = layers[0].config;
  if (!first.batch_input_shape && topology.config.build_input_shape) {
    first.batch_input_shape = topology.config.build_input_shape;
  }
  const model = await tf.models.modelFromJSON({ modelTopology: topology });
  for (const w of doc.weights) {
    model.getLayer(w.layer).setWeights(w.arrays.map((a) => tf.tensor(a.values, a.shape, 'float32')));
  }
  let x;
  if (doc.inputs_list) {
    x = doc.inputs_list.map((e, k) => {
      if (model.inputLayers[k].name !== e.name) {
        throw new Error(`model input ${k} is ${model.inputLayers[k].name}, the dump says ${e.name}`);
      }
      return tf.tensor(e.values, e.shape, 'float32');
    });
  } else {
    x = tf.tensor(doc.inputs, doc.input_shape, 'float32');
  }
  const y = model.predict(x);
  return { shape: y.shape, output: Array.from(await y.data()), tfjs_version: tf.version.tfjs };
}

async function main() {
  await tf.setBackend('cpu');
  const dir = path.join(__dirname, 'out', 'keras_models');
  const results = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'tfjs_results.json').sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file)));
    try {
      results[doc.case] = await predict(doc);
      console.log(`${doc.case}: predicted [${results[doc.case].shape}]`);
    } catch (e) {
      // Recorded, not fatal: the fixtures step decides (cases marked 'numpy' expect this).
      results[doc.case] = { error: String(e.message || e), tfjs_version: tf.version.tfjs };
      console.log(`${doc.case}: TF.js failed: ${results[doc.case].error}`);
    }
  }
  fs.writeFileSync(path.join(dir, 'tfjs_results.json'), JSON.stringify(results));
}

main().catch((e) => { console.error(e); process.exit(1); });
