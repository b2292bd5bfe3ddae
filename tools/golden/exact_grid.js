// Deterministic test values that are exact in float32: xorshift32 draws mapped onto multiples of
// 1/256. Shared by the TF.js golden generators (rnn_tfjs.js, tfjs_models.js).
'use strict';

let state = 2463534242;

function seed(s) { state = s >>> 0; }

function rnd() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}

function grid(n, lim) {  // n values in [-lim, lim], multiples of 1/256
  const out = [];
  const k = Math.round(lim * 256);
  for (let i = 0; i < n; i++) out.push(((rnd() % (2 * k + 1)) - k) / 256);
  return out;
}

module.exports = { seed, rnd, grid };
