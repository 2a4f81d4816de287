/**
 * The field error of a learned velocity against the exact field of a Gaussian-mixture target from
 * a standard Gaussian base (SCIENCE.md section 7, `mixtureField.ts`):
 *
 *   E_{t ~ U(0, tMax)} E_{x_t} |v_theta(t, x_t) - v*(t, x_t)|^2,   x_t = a x0 + b x1 + gamma z,
 *
 * on fresh draws x0, z ~ N(0, I), x1 ~ the mixture. Unlike the training loss, which has an
 * irreducible floor (the conditional variance of dI/dt given x_t), it is 0 exactly when the net
 * is the field. Cheap enough to run every few hundred training steps: the times are stratified,
 * t_k = (k + u_k) tMax / K for k < K, with n / K points at each, so it costs K batched net calls
 * (K NFE) and the exact field on n points.
 *
 *   const { value } = await fieldError(net.velocity(), mixtureField(components, trig), components, trig, { n: 1024, seed: step });
 */
import { UserError } from '../../errors.js';
import { numbers } from '../interpolants/algebra.js';
import { pathPoint } from '../interpolants/path.js';
import { coefficientsAt, type Interpolant } from '../interpolants/schedules.js';
import { Rng } from '../random.js';
import { meanStdErr as meanAndStdErr } from '../metrics/meanStdErr.js';
import type { MixtureComponent, MixtureField } from './mixtureField.js';
import type { VelocityFn } from './types.js';

/** Time strata per estimate: enough to cover the path, few enough to keep the NFE small. */
export const FIELD_ERROR_TIMES = 8;
/** The random stream of the field error's draws. */
export const FIELD_ERROR_STREAM = 4;

/** Lower Cholesky factor of a d x d SPD matrix (row-major). */
function cholesky(S: ArrayLike<number>, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = i === j ? Math.sqrt(s) : s / L[j * d + j];
    }
  }
  return L;
}

/** n draws of the mixture [n, d]: a component by weight, then mean + L xi. */
export function sampleComponents(components: MixtureComponent[], n: number, rng: Rng): Float64Array {
  const d = components[0].mean.length;
  const total = components.reduce((acc, c) => acc + c.weight, 0);
  const factors = components.map((c) => cholesky(c.cov, d));
  const out = new Float64Array(n * d);
  const xi = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    let u = rng.uniform() * total;
    let k = 0;
    while (k < components.length - 1 && u >= components[k].weight) u -= components[k++].weight;
    rng.fillNormal(xi);
    for (let i = 0; i < d; i++) {
      let acc = components[k].mean[i];
      for (let j = 0; j <= i; j++) acc += factors[k][i * d + j] * xi[j];
      out[p * d + i] = acc;
    }
  }
  return out;
}

export interface FieldErrorOptions {
  /** Points in all (a multiple of `times`). */
  n: number;
  seed: number;
  times?: number;
}

/** The field error of `velocity` (see the header), with its standard error over the points. */
export async function fieldError(
  velocity: VelocityFn,
  exact: MixtureField,
  components: MixtureComponent[],
  it: Interpolant,
  o: FieldErrorOptions,
): Promise<{ value: number; stdErr: number; nfe: number }> {
  const K = o.times ?? FIELD_ERROR_TIMES;
  const d = exact.dim;
  if (!(Number.isInteger(o.n) && o.n >= K && o.n % K === 0)) throw new UserError(`the field error needs a multiple of ${K} points; got ${o.n}`);
  const m = o.n / K;
  const rng = new Rng(o.seed, FIELD_ERROR_STREAM);
  const errors = new Float64Array(o.n);
  for (let k = 0; k < K; k++) {
    const t = ((k + rng.uniform()) / K) * it.tMax;
    const c = coefficientsAt(it, t);
    const x1 = sampleComponents(components, m, rng);
    const xt = new Float64Array(m * d);
    for (let i = 0; i < m * d; i++) xt[i] = pathPoint(numbers, c, rng.normal(), x1[i], it.latentNoise ? rng.normal() : null).xt;
    const v = await velocity(t, xt, m, d);
    const vStar = exact.velocity(t, xt, m);
    for (let p = 0; p < m; p++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (v[p * d + j] - vStar[p * d + j]) ** 2;
      errors[k * m + p] = s;
    }
  }
  const { mean, stdErr } = meanAndStdErr(errors);
  return { value: mean, stdErr, nfe: K };
}
