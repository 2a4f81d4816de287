/**
 * The steps a run's sampler needs (SCIENCE.md section 5, "shorter paths need fewer steps"): for
 * euler and rk4 with 2, 4, 8, 16 and 32 steps, the quality of the samples that sampler gives,
 *   - where the base is the standard Gaussian: its KL gap, the held-out NLL under the k-step
 *     sampler's exact density (stepDensity.ts) minus the target's entropy (the NLL itself where the
 *     entropy is unknown); null where some held-out point has no preimage (the sampler leaves a
 *     hole there, so the figure is infinite);
 *   - always: the energy distance of its samples to held-out data (base draws shared by all);
 * beside the rk4-50 sampler's figures, and the fewest NFE from which a sampler comes within
 * STEPS_TOLERANCE nats of that rk4-50 KL gap (or NLL). Lists are recorded with the evaluation.
 */
import { UserError } from '../errors.js';
import { STEP_METHODS, stepsKey } from '../api/metricInfo.js';
import { getInterpolant } from '../engine/interpolants/schedules.js';
import type { Backend } from '../engine/onnx/runtime.js';
import { energyDistance } from '../engine/metrics/index.js';
import { standardNormalLogDensity } from '../engine/sample/likelihood.js';
import { EXACT_DIVERGENCE_MAX_DIM, netJacobian } from '../engine/sample/netDivergence.js';
import { NetSampler } from '../engine/sample/netSampler.js';
import { nfeToReach, type NfePoint } from '../engine/sample/nfeCurve.js';
import { stagesOf, type FixedMethod } from '../engine/sample/rungeKutta.js';
import { newFoldScreen, PREIMAGE_SEARCH_DIM, stepSamplerLogDensity } from '../engine/sample/stepDensity.js';
import type { Evaluation } from './evaluate.js';
import type { RunData } from './runData.js';
import type { RunWeights } from './runModel.js';

export const STEP_COUNTS = [2, 4, 8, 16, 32] as const;
/** "Converged": within this many nats of the rk4-50 sampler's figure. */
export const STEPS_TOLERANCE = 0.02;
const REFERENCE = { method: 'rk4' as const, steps: 50 };

export async function stepsFigures(
  w: RunWeights,
  data: RunData,
  test: Float32Array,
  n: number,
  base: Float32Array,
  backend: Backend,
  threads: number,
): Promise<Evaluation> {
  const d = w.net.dim;
  if (d > EXACT_DIVERGENCE_MAX_DIM) {
    throw new UserError(`the steps a sampler needs are measured for data of up to ${EXACT_DIVERGENCE_MAX_DIM} dimensions (each step's Jacobian is exact); this run has ${d}`);
  }
  const tMax = getInterpolant(w.config.interpolant).tMax;
  const out: Evaluation = { stepCounts: JSON.stringify(STEP_COUNTS) };

  const sampler = new NetSampler(w.net, w.params, backend, threads);
  try {
    const energy = async (method: FixedMethod, steps: number) => {
      const x = (await sampler.solve(base, n, { solver: method, steps, t0: 0, t1: tMax })).x;
      return energyDistance(x, n, test, n, d);
    };
    out.stepsReferenceEnergy = await energy(REFERENCE.method, REFERENCE.steps);
    for (const method of STEP_METHODS) {
      const values: number[] = [];
      for (const steps of STEP_COUNTS) values.push(await energy(method, steps));
      out[stepsKey(method, 'Energy')] = JSON.stringify(values);
    }
  } finally {
    await sampler.release();
  }

  if (w.config.base !== 'gaussian') {
    out.stepsKl = null;
    out.stepsKlWhy = 'the base is a dataset with no density, so a sampler\'s density cannot be computed; the energy distances stand alone';
    return out;
  }
  const entropy = data.train.entropy?.value;
  const figure = entropy === undefined ? 'Nll' : 'Kl';
  const jac = await netJacobian(w.net, w.params, { backend, threads });
  // every sampler's steps fall at times the others share: the field at each is screened for folds once
  const foldScreen = d === PREIMAGE_SEARCH_DIM ? newFoldScreen(test, n) : undefined;
  try {
    const score = async (method: FixedMethod, steps: number) => {
      const r = await stepSamplerLogDensity(jac.fn, test, n, d, { method, steps, t0: 0, t1: tMax, baseLogDensity: standardNormalLogDensity, foldScreen });
      return r.nll - (entropy ?? 0);
    };
    const reference = await score(REFERENCE.method, REFERENCE.steps);
    out[entropy === undefined ? 'stepsReferenceNll' : 'stepsReferenceKl'] = reference;
    const curve: NfePoint[] = [];
    for (const method of STEP_METHODS) {
      const values: number[] = [];
      for (const steps of STEP_COUNTS) {
        const value = await score(method, steps);
        values.push(value);
        curve.push({ method, steps, nfe: steps * stagesOf(method), value });
      }
      // a hole (no preimage for some point) is an infinite figure: JSON carries it as null
      out[stepsKey(method, figure)] = JSON.stringify(values.map((v) => (Number.isFinite(v) ? v : null)));
    }
    const nfe = nfeToReach(curve, (v) => Math.abs(v - reference) <= STEPS_TOLERANCE);
    out.stepsNfeConverged = Number.isFinite(nfe) ? nfe : null;
    if (!Number.isFinite(nfe)) out.stepsNfeConvergedWhy = `no sampler up to ${STEP_COUNTS.at(-1)} steps came within ${STEPS_TOLERANCE} nats of the rk4-50 sampler`;
  } finally {
    await jac.release();
  }
  return out;
}
