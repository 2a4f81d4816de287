/**
 * Telling a diverging training from a noisy one. The rule: the mean loss over the last
 * DIVERGENCE_WINDOW steps exceeds DIVERGENCE_FACTOR times the lower of the run's first loss (the
 * untrained net's level) and its best window so far. Flow-matching losses fall from the untrained
 * level and fluctuate within a few times their floor, so a hundredfold rise is a blow-up (too
 * large a learning rate, no gradient clipping), not noise; a NaN or infinite loss is caught
 * separately, at its step.
 */

/** Steps averaged per window: long enough that one outlier batch does not trip the rule. */
export const DIVERGENCE_WINDOW = 20;
/** How far above its early level a windowed loss must rise to count as diverged. */
export const DIVERGENCE_FACTOR = 100;

export interface Divergence {
  /** The last step of the window that tripped the rule. */
  step: number;
  windowMean: number;
  /** The level it is compared with (first loss or best window). */
  reference: number;
}

export class DivergenceWatch {
  private first: number | null = null;
  private best = Infinity;
  private window: number[] = [];
  private sum = 0;

  /** Feeds the losses of consecutive steps from `firstStep`; the first divergence seen, else null. */
  push(losses: ArrayLike<number>, firstStep: number): Divergence | null {
    for (let i = 0; i < losses.length; i++) {
      const l = losses[i];
      if (this.first === null) this.first = l;
      this.window.push(l);
      this.sum += l;
      if (this.window.length > DIVERGENCE_WINDOW) this.sum -= this.window.shift()!;
      if (this.window.length < DIVERGENCE_WINDOW) continue;
      const mean = this.sum / DIVERGENCE_WINDOW;
      const reference = Math.min(this.first, this.best);
      if (reference > 0 && mean > DIVERGENCE_FACTOR * reference) return { step: firstStep + i, windowMean: mean, reference };
      this.best = Math.min(this.best, mean);
    }
    return null;
  }
}

/** The run's failure reason: what happened and what to change. */
export function divergenceReason(d: Divergence): string {
  const g = (x: number) => Number(x.toPrecision(3));
  return `training diverged: the mean loss over the ${DIVERGENCE_WINDOW} steps to step ${d.step} was ${g(d.windowMean)}, `
    + `more than ${DIVERGENCE_FACTOR} times its early level ${g(d.reference)}; lower the learning rate (train.lr) or enable gradient clipping (train.clipNorm, e.g. 1)`;
}
