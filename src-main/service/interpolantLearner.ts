/**
 * The outer half of the max-min for `interpolant: 'learned'` (SCIENCE.md section 5,
 * engine/train/pathMaxMin.ts), run as a path search before the run's training: a session of its
 * own trains the velocity for SEARCH_FRACTION of the run's steps, and every LEARN_EVERY steps
 * the coefficients of a(t), b(t) take one Adam step down -G, measured with the net's current
 * (raw) weights, the inner max's iterate; the program reads them as an input from its next call
 * on. The run's own training then fits a fresh velocity to the path found, for all its steps,
 * with the coefficients fixed. The coefficients are stored with each checkpoint
 * (extra.interpolant) and as the series interpolant_alpha_k and interpolant_beta_k (at the
 * search's steps). The first LEARN_WARMUP steps fit the velocity alone: with an untrained net -G
 * says nothing about the path (at v = 0 it is 0 for every path).
 *
 * Why a fresh velocity: a net trained while the path moves does not recover on the final path.
 * 8gaussians, default net, 3000 steps at batch 256, seed 1 (KL gap at rk4-50, 1000 held-out
 * points; trig's 0.346): coefficients moving to the end, 0.461; moving until step 1500 and fixed
 * for the last 1500 steps, 0.469; a fresh net trained 3000 steps on either final path, 0.111
 * and 0.099.
 */
import type { ExperimentConfig } from '../api/config.js';
import type { Store } from '../store/index.js';
import type { Backend } from '../engine/onnx/runtime.js';
import { paramLayout, type MlpSpec } from '../engine/nets/mlp.js';
import type { StepRunner } from '../engine/train/stepRunner.js';
import type { LearnedCoefficients } from '../engine/interpolants/learned.js';
import { CoefficientAdam, coefficientGradient, pathDraws } from '../engine/train/pathMaxMin.js';
import { NetSampler } from '../engine/sample/netSampler.js';

/**
 * Velocity steps per coefficient step, and the step's size: the outer min must move slower than
 * the inner max follows, or it exploits the net's lag (with v behind, lowering -G at fixed v also
 * means moving the path where v fits worse). From N(0, I) to N((2, 0), 0.25 I), 4000 steps of a
 * 64 x 2 net from step 500: rate 0.005 every 50 steps took the kinetic energy from trig's 5.55
 * to 4.77, 0.002 every 25 to 4.62 (W2^2 = 4.5); rate 0.02 every 50 from step 200 (1500 steps)
 * drove it up to 7.50.
 */
export const LEARN_EVERY = 25;
export const LEARN_RATE = 0.002;
/** Steps before the first coefficient step. */
export const LEARN_WARMUP = 500;
/** Points per estimate of -G (16 times x 64). */
export const LEARN_POINTS = 1024;
/** The path search's length, as a fraction of the run's steps (at least LEARN_WARMUP + LEARN_EVERY). */
export const SEARCH_FRACTION = 0.5;

/** Steps of the path search for a run of `steps` steps. */
export function searchSteps(steps: number): number {
  return Math.max(LEARN_WARMUP + LEARN_EVERY, Math.round(SEARCH_FRACTION * steps));
}

export class InterpolantLearner {
  private readonly adam = new CoefficientAdam(LEARN_RATE, 0.9, 0.99);
  private readonly params: Float32Array;
  private readonly sampler: NetSampler;
  private lastStep: number;

  constructor(
    private readonly store: Store,
    private readonly config: ExperimentConfig,
    net: MlpSpec,
    private readonly data: { data: Float32Array; n: number },
    public coefficients: LearnedCoefficients,
    backend: Backend,
  ) {
    this.params = new Float32Array(paramLayout(net).total);
    this.sampler = new NetSampler(net, this.params, backend, 1);
    this.lastStep = LEARN_WARMUP - LEARN_EVERY;
  }

  /**
   * The path search on `session` (a fresh one, coefficients as this learner's): trains it for
   * searchSteps(config.train.steps) steps with a coefficient step every LEARN_EVERY, and returns
   * the coefficients (early, as they stand, when `stop` says so).
   */
  async search(runId: string, session: StepRunner, stop: () => boolean = () => false): Promise<LearnedCoefficients> {
    const total = searchSteps(this.config.train.steps);
    while (session.step < total && !stop()) {
      const step = session.step;
      await session.advance(Math.min(total - step, Math.max(1, this.lastStep + LEARN_EVERY - step)));
      await this.afterChunk(runId, session);
    }
    return this.coefficients;
  }

  /** One coefficient step when due; the session reads the new coefficients from its next call. */
  private async afterChunk(runId: string, session: StepRunner): Promise<void> {
    if (session.step - this.lastStep < LEARN_EVERY) return;
    if (!session.setCoefficients) throw new Error(`the '${session.kind}' step runner does not take a learned interpolant's coefficients`);
    const state = await session.readState();
    this.lastStep = state.step;
    this.params.set(state.params);
    const d = this.data.data.length / this.data.n;
    const draws = pathDraws(this.data.data, this.data.n, d, LEARN_POINTS, (this.config.train.seed ^ state.step) >>> 0);
    const g = await coefficientGradient(this.sampler.velocity(), this.coefficients, draws);
    this.coefficients = this.adam.step(this.coefficients, g);
    session.setCoefficients(this.coefficients);
    this.store.transaction(() => {
      this.coefficients.alpha.forEach((x, k) => this.store.appendMetricRun(runId, `interpolant_alpha_${k + 1}`, state.step, [x]));
      this.coefficients.beta.forEach((x, k) => this.store.appendMetricRun(runId, `interpolant_beta_${k + 1}`, state.step, [x]));
    });
  }

  async release(): Promise<void> {
    await this.sampler.release();
  }
}
