/** Image metrics: the digit classifier, the Frechet distance with its floor, labels, memorization, bits/dim. */
export { BITS_PER_DIM_OFFSET, type BitsPerDim, bitsPerDim, bitsPerDimFromNll } from './bitsPerDim.js';
export { CLASSIFIER_CLASSES, CLASSIFIER_SIDE, type ClassifierSpec, classifierModel, featureDim } from './classifierNet.js';
export {
  CLASSIFIER_NAME,
  type Classified,
  type ClassifierManifest,
  type DigitClassifier,
  classifierFromBytes,
  openDigitClassifier,
  pixelLevelsToUnit,
  predictions,
  probabilities,
} from './digitClassifier.js';
export { type FeatureMoments, featureMoments, frechetDistance, traceSqrtProduct } from './frechet.js';
export {
  CONFIDENT,
  type FrechetWithFloor,
  type ImageMetrics,
  type ImageMetricsInput,
  type LabelStats,
  type NearestSummary,
  frechetWithFloor,
  imageMetrics,
  labelStats,
} from './imageMetrics.js';
export { type NearestResult, median, nearestTraining } from './nearestNeighbours.js';
