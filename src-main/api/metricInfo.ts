/**
 * What each figure of an evaluation means, written once for every door: the run page and compare
 * show these names, units and explanations, and `flowlab eval` prints the same. A figure's
 * standard error and its floor (the same distance between two independent data samples) are
 * figures of their own, paired here with the figure they qualify.
 */

export interface MetricInfo {
  /** The evaluation key (`klGap`). */
  key: string;
  /** Spelled out for people ("KL gap to the true entropy"). */
  name: string;
  /** '' for a pure number. */
  unit: string;
  /** One line: what it measures and which way is better. */
  explain: string;
  /** The key of its standard error, if measured. */
  stdErr?: string;
  /** The key of its floor: the value two independent data samples give; below it is noise. */
  floor?: string;
  /** A count, printed as a whole number. */
  integer?: boolean;
}

/** In the order they are shown. */
export const METRIC_INFO: readonly MetricInfo[] = [
  { key: 'nll', name: 'Negative log-likelihood', unit: 'nats', stdErr: 'nllStdErr',
    explain: 'Mean -log density the model gives held-out points (change of variables along the flow); lower is better' },
  { key: 'at', name: 'Time T of the points (NLL of rho_T)', unit: '',
    explain: 'The NLL is of held-out points pushed to time T along the interpolant: an upper bound on the entropy of rho_T, lower is better' },
  { key: 'bitsPerDim', name: 'Bits per dimension', unit: 'bits/dim', stdErr: 'bitsPerDimStdErr',
    explain: 'The negative log-likelihood divided by d ln 2, comparable across dimensions; lower is better' },
  { key: 'classifierFrechet', name: 'Classifier Frechet distance', unit: '', floor: 'classifierFrechetFloor',
    explain: 'Frechet distance between held-out digits and samples in the digit classifier\'s feature space (as FID); lower is better, the floor is two halves of real digits (both averaged over 8 cuts of the held-out digits)' },
  { key: 'confidentFraction', name: 'Samples labelled with confidence', unit: 'fraction', stdErr: 'confidentFractionStdErr',
    explain: 'Fraction of samples the digit classifier labels with probability >= 0.9: recognisable digits; higher is better' },
  { key: 'classFractionMin', name: 'Rarest class among samples', unit: 'fraction',
    explain: 'Smallest share of one digit class among the samples\' labels; 0.1 each when all ten classes are drawn equally' },
  { key: 'classFractionMax', name: 'Commonest class among samples', unit: 'fraction',
    explain: 'Largest share of one digit class among the samples\' labels; far above 0.1 means the model favours some digits' },
  { key: 'nearestTrainMedian', name: 'Distance to the nearest training image (median)', unit: 'pixel units',
    explain: 'Median L2 distance from a sample to its closest training image; far below the held-out digits\' figure means memorization' },
  { key: 'nearestTrainHeldOutMedian', name: 'Same distance for held-out digits (median)', unit: 'pixel units',
    explain: 'The reference for the line above: how close real digits the model never saw sit to the training set' },
  { key: 'entropy', name: 'True entropy of the data', unit: 'nats', stdErr: 'entropyStdErr',
    explain: 'The entropy of the distribution the points come from, known in closed form or estimated from its exact density' },
  { key: 'klGap', name: 'KL gap to the true entropy', unit: 'nats', stdErr: 'klGapStdErr',
    explain: 'NLL minus the true entropy: the KL divergence from the data to the model; 0 is perfect, small negatives are noise' },
  { key: 'inSupport', name: 'Samples inside the support', unit: 'fraction',
    explain: 'Fraction of 10,000 samples (rk4, 50 steps) where the data density is positive, e.g. inside the checkerboard\'s squares; higher is better' },
  { key: 'outsideSupport', name: 'Points mapped outside the support', unit: 'points', integer: true,
    explain: 'Points the flow carries where the reference density is zero; their log-density is -infinity, so the likelihood is undefined' },
  { key: 'energyDistance', name: 'Energy distance', unit: 'data units', floor: 'energyDistanceFloor',
    explain: 'A distance between samples and held-out data from mean pairwise distances; 0 for equal distributions, lower is better' },
  { key: 'mmd', name: 'Squared MMD (RBF kernel)', unit: '', floor: 'mmdFloor',
    explain: 'Maximum mean discrepancy between samples and held-out data, unbiased: it can dip below 0 when the two match up to noise' },
  { key: 'slicedW2', name: 'Sliced Wasserstein-2 distance', unit: 'data units', floor: 'slicedW2Floor',
    explain: 'The W2 distance averaged over random 1-D projections; lower is better' },
  { key: 'w2', name: 'Wasserstein-2 distance (exact)', unit: 'data units', floor: 'w2Floor',
    explain: 'The optimal-transport distance between samples and held-out data, solved exactly (n <= 2000); lower is better' },
  { key: 'kineticEnergy', name: 'Kinetic energy of the path', unit: 'data units²', 
    explain: 'Integral over t of the mean squared velocity: the transport cost the learned flow pays; lower means more direct' },
  { key: 'straightness', name: 'Straightness', unit: 'ratio',
    explain: 'Squared start-to-end displacement over the kinetic energy: 1 for straight constant-speed paths' },
  { key: 'cycleError', name: 'Cycle-consistency error (mean)', unit: 'data units',
    explain: 'Mean distance between a point and its image after encoding and decoding again: solver and net error' },
  { key: 'cycleErrorMax', name: 'Cycle-consistency error (worst)', unit: 'data units',
    explain: 'The largest encode-then-decode distance over the points' },
  { key: 'stepsNfeConverged', name: 'Function evaluations the sampler needs', unit: 'calls', integer: true,
    explain: 'The fewest net evaluations (euler or rk4 at 2 to 32 steps) from which the sampler\'s KL gap stays within 0.02 nats of the rk4-50 sampler\'s; straighter paths need fewer' },
  { key: 'stepsReferenceKl', name: 'KL gap of the rk4-50 sampler', unit: 'nats',
    explain: 'Held-out NLL under the exact density of the samples rk4 with 50 steps gives, minus the true entropy; the figure the step counts are measured against' },
  { key: 'stepsReferenceNll', name: 'NLL under the rk4-50 sampler', unit: 'nats',
    explain: 'Held-out NLL under the exact density of the samples rk4 with 50 steps gives (the target\'s entropy is unknown, so no KL gap)' },
  { key: 'stepsReferenceEnergy', name: 'Energy distance of the rk4-50 sampler', unit: '',
    explain: 'Energy distance between rk4-50 samples and held-out data, beside which the step counts\' distances read' },
  { key: 'n', name: 'Points evaluated', unit: 'points', integer: true, explain: 'Held-out points used for every figure' },
  { key: 'd', name: 'Dimension', unit: '', integer: true, explain: 'The dimension of the data' },
  { key: 'nfe', name: 'Function evaluations', unit: 'calls', integer: true,
    explain: 'Velocity-net evaluations the likelihood solve took (adaptive solvers take more where the flow bends)' },
  { key: 'seconds', name: 'Evaluation time', unit: 's', explain: 'Wall time of the whole evaluation' },
];

/** The samplers whose step counts `evaluate --nfe` measures (service/evaluateSteps.ts). */
export const STEP_METHODS = ['euler', 'rk4'] as const;

/** The list key of one sampler's figure by step count: `stepsEulerKl`, `stepsRk4Energy`, ... ('Nll' where the entropy is unknown). */
export function stepsKey(method: (typeof STEP_METHODS)[number], figure: 'Kl' | 'Nll' | 'Energy'): string {
  return `steps${method[0].toUpperCase()}${method.slice(1)}${figure}`;
}

/**
 * Figures that are lists, not numbers (an evaluation records them as JSON text): shown as charts
 * and tables, described here as the numbers are. An entry is null where that figure is undefined.
 */
export const LIST_INFO: readonly MetricInfo[] = [
  { key: 'classFractions', name: 'Class histogram of samples', unit: 'fraction',
    explain: 'Share of the samples the digit classifier labels as each digit 0 to 9; 0.1 each when the model draws all digits equally' },
  { key: 'stepCounts', name: 'Sampler steps', unit: 'steps', explain: 'The step counts of the sampler figures below' },
  ...STEP_METHODS.flatMap((m) => [
    { key: stepsKey(m, 'Kl'), name: `KL gap of the ${m} sampler by steps`, unit: 'nats',
      explain: `Held-out NLL under the exact density of ${m}'s samples at each step count, minus the true entropy; null where the sampler leaves a hole (infinite)` },
    { key: stepsKey(m, 'Nll'), name: `NLL under the ${m} sampler by steps`, unit: 'nats',
      explain: `Held-out NLL under the exact density of ${m}'s samples at each step count; null where the sampler leaves a hole (infinite)` },
    { key: stepsKey(m, 'Energy'), name: `Energy distance of the ${m} sampler by steps`, unit: '',
      explain: `Energy distance between ${m}'s samples at each step count and held-out data` },
  ]),
];

/** The standard error of a fraction p of n independent draws: sqrt(p (1 - p) / n). */
export function fractionStdErr(p: number, n: number): number {
  return n > 0 ? Math.sqrt(Math.max(0, p * (1 - p)) / n) : Number.NaN;
}

const BY_KEY = new Map(METRIC_INFO.map((m) => [m.key, m]));
/** Keys shown beside another figure (standard errors, floors), not as rows of their own. */
const PAIRED = new Set(METRIC_INFO.flatMap((m) => [m.stdErr, m.floor].filter((k): k is string => !!k)));

export function metricInfo(key: string): MetricInfo | undefined {
  return BY_KEY.get(key);
}

export function isPairedKey(key: string): boolean {
  return PAIRED.has(key);
}

/**
 * The rows to show for a set of results: known figures in table order, then any unknown keys
 * (named by their key), leaving out standard errors and floors (shown with their figure).
 */
export function metricRows(keys: Iterable<string>): MetricInfo[] {
  const present = new Set(keys);
  const known = METRIC_INFO.filter((m) => present.has(m.key));
  const unknown = [...present].filter((k) => !BY_KEY.has(k) && !PAIRED.has(k)).sort()
    .map((key) => ({ key, name: key, unit: '', explain: 'A figure without a description' }));
  return [...known, ...unknown];
}

/**
 * Why a figure or its floor reads as it does, when it needs saying: an unbiased estimate (MMD)
 * dips below 0 by noise, and a figure at or below its floor is indistinguishable from the data.
 */
export function floorNote(info: MetricInfo, value: number, floor: number | null | undefined): string | null {
  if (value < 0) return 'below 0: an unbiased estimate dips below 0 by noise when samples and data match; read it as 0';
  const hasFloor = floor !== null && floor !== undefined && Number.isFinite(floor);
  if (hasFloor && value <= floor) {
    return 'at or below its floor (the value two independent data samples give): the difference from the data is noise';
  }
  if (hasFloor && floor < 0) return 'the floor is below 0 by noise (an unbiased estimate), so read it as 0';
  return null;
}

/** A figure as text: integers for counts, 4 significant digits otherwise. */
export function formatFigure(info: MetricInfo | undefined, value: number): string {
  if (info?.integer) return String(Math.round(value));
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** An evaluation as the API gives it: numbers, the reasons some are undefined, and lists. */
export interface EvaluationFigures {
  results: Record<string, number | null>;
  reasons: Record<string, string>;
  lists: Record<string, (number | null)[]>;
}

/**
 * What an evaluation measured: the steps a run's samplers need (`eval --nfe`, its lists hold
 * `stepCounts`), the NLL of points pushed to a time T (`eval --at`, its `at` recorded), or the
 * run's own figures (NLL, distances, geometry).
 */
export function evaluationKind(e: Pick<EvaluationFigures, 'results' | 'lists'>): 'steps' | 'at' | 'figures' {
  if (e.lists.stepCounts) return 'steps';
  if (typeof e.results.at === 'number') return 'at';
  return 'figures';
}

/**
 * One run's figures for tables that set runs side by side (the runs table, Compare): the latest
 * evaluation of the run's own figures, with the figures of its latest sampler-steps measurement
 * (the NFE it needs, the rk4-50 sampler's) beside them. An NLL at a time T is another quantity
 * than the run's NLL (an upper bound on the entropy of rho_T), so it is left out here; the run
 * page shows it under its name. Null where the run has neither.
 */
export function comparableFigures(evaluations: readonly Pick<EvaluationFigures, 'results' | 'reasons' | 'lists'>[]): Pick<EvaluationFigures, 'results' | 'reasons'> | null {
  const figures = evaluations.findLast((e) => evaluationKind(e) === 'figures');
  const steps = evaluations.findLast((e) => evaluationKind(e) === 'steps');
  if (!figures && !steps) return null;
  const results: Record<string, number | null> = { ...figures?.results };
  const reasons: Record<string, string> = { ...figures?.reasons };
  if (steps) {
    for (const [k, v] of Object.entries(steps.results)) if (STEPS_FIGURES.has(k)) results[k] = v;
    for (const [k, v] of Object.entries(steps.reasons)) if (STEPS_FIGURES.has(k)) reasons[k] = v;
  }
  return { results, reasons };
}

const STEPS_FIGURES = new Set(METRIC_INFO.filter((m) => m.key.startsWith('steps')).map((m) => m.key));
