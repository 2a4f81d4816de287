import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isotropicMixture } from '../../../../src-main/engine/data/gaussianMixture.js';
import { graphAlgebra } from '../../../../src-main/engine/interpolants/algebra.js';
import { coefficientsAt, encdec, linear, stochastic, trig, vp, type Interpolant } from '../../../../src-main/engine/interpolants/schedules.js';
import { Graph } from '../../../../src-main/engine/onnx/graph.js';
import { createSession, ort } from '../../../../src-main/engine/onnx/runtime.js';
import { serializeModel } from '../../../../src-main/engine/onnx/serialize.js';
import { isotropicComponents, mixtureField } from '../../../../src-main/engine/sample/mixtureField.js';
import { baseDenoiserRows, dataDenoiser, scoreDenominatorVanishes, scoreFromVelocity, scoreRows } from '../../../../src-main/engine/sample/score.js';
import { numbers } from '../../../../src-main/engine/interpolants/algebra.js';
import { gaussianProblem, maxAbsDiff, normalPoints, randomGaussian } from './gaussianFixture.js';

/** Acceptance: the score read off the exact velocity equals the exact score to this (absolute). */
const SCORE_TOLERANCE = 1e-4;
const SMOOTH: Interpolant[] = [linear, trig, stochastic, vp];

function testMixture() {
  const centers = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((k * Math.PI) / 4), 2 * Math.sin((k * Math.PI) / 4)]);
  const ring = isotropicComponents(isotropicMixture(centers, 0.3, centers.map((_, k) => 1 + k / 4)));
  const { m, S } = randomGaussian(2, 8);
  return [...ring, { weight: 1.5, mean: m, cov: S }];
}

test('the score from the exact velocity of a Gaussian-mixture target is the exact score (latent term included)', () => {
  const n = 40;
  const x = normalPoints(n, 2, 5).map((v) => 2 * v);
  let worst = 0;
  for (const it of SMOOTH) {
    const mix = mixtureField(testMixture(), it);
    for (const t of [0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97]) {
      const err = maxAbsDiff(scoreRows(it, t, x, mix.velocity(t, x, n)), mix.score(t, x, n));
      worst = Math.max(worst, err / Math.max(1, ...mix.score(t, x, n).map(Math.abs)));
      assert.ok(err < SCORE_TOLERANCE * Math.max(1, ...mix.score(t, x, n).map(Math.abs)), `${it.name} t=${t}: ${err}`);
    }
  }
  assert.ok(worst < 1e-9, `worst relative error ${worst}`);
});

test('Gaussian target: score, base and data denoisers from the exact velocity match their closed forms', async () => {
  // x_t ~ N(b m, Sigma), Sigma = A I + b^2 S: s = -Sigma^-1 (x - b m), E[x0|x] = a Sigma^-1 (x - b m),
  // E[x1|x] = m + b S Sigma^-1 (x - b m) (the single-component mixture's score gives Sigma^-1 (x - b m)).
  const d = 3;
  const n = 20;
  for (const it of SMOOTH) {
    const { m, S, field } = gaussianProblem(d, 4, it);
    const mix = mixtureField([{ weight: 1, mean: m, cov: S }], it);
    const x = normalPoints(n, d, 2);
    for (const t of [0.05, 0.4, 0.8, 0.95]) {
      const c = coefficientsAt(it, t);
      const v = await field(t, x, n, d);
      const r = mix.score(t, x, n).map((s) => -s); // Sigma^-1 (x - b m)
      assert.ok(maxAbsDiff(scoreRows(it, t, x, v), mix.score(t, x, n)) < SCORE_TOLERANCE, `${it.name} t=${t} score`);
      assert.ok(maxAbsDiff(baseDenoiserRows(it, t, x, v), r.map((ri) => c.a * ri)) < SCORE_TOLERANCE, `${it.name} t=${t} E[x0|x]`);
      const x1hat = Float64Array.from(x, (xi, i) => dataDenoiser(numbers, c, xi, v[i]));
      const expected = new Float64Array(n * d);
      for (let p = 0; p < n; p++) {
        for (let i = 0; i < d; i++) {
          let acc = m[i];
          for (let j = 0; j < d; j++) acc += c.b * S[i * d + j] * r[p * d + j];
          expected[p * d + i] = acc;
        }
      }
      assert.ok(maxAbsDiff(x1hat, expected) < SCORE_TOLERANCE, `${it.name} t=${t} E[x1|x]: ${maxAbsDiff(x1hat, expected)}`);
    }
  }
});

test('the same score formula as graph code (float32 ONNX Runtime) gives the plain-number score', async () => {
  const n = 16;
  const d = 2;
  const g = new Graph('score');
  const t = g.input('t', 'float32', []);
  const x = g.input('x', 'float32', [n, d]);
  const v = g.input('v', 'float32', [n, d]);
  const A = graphAlgebra(t);
  g.setNamedOutputs({ s: scoreFromVelocity(A, stochastic.at(A, t), x, v) });
  const session = await createSession(serializeModel(g), { backend: 'cpu', threads: 1 });
  const mix = mixtureField(testMixture(), stochastic);
  const xs = normalPoints(n, d, 9);
  for (const time of [0.2, 0.6]) {
    const vs = mix.velocity(time, xs, n);
    const out = await session.run({
      t: new ort.Tensor('float32', Float32Array.of(time), []),
      x: new ort.Tensor('float32', Float32Array.from(xs), [n, d]),
      v: new ort.Tensor('float32', Float32Array.from(vs), [n, d]),
    });
    assert.ok(maxAbsDiff(out.s.data as Float32Array, mix.score(time, xs, n)) < 1e-4);
  }
  await session.release();
});

test('the encoder-decoder interpolant is flagged: on [0, 1/2) its velocity says nothing of x1, so D = 0', () => {
  assert.equal(scoreDenominatorVanishes(encdec), true);
  for (const it of SMOOTH) assert.equal(scoreDenominatorVanishes(it), false, it.name);
});
