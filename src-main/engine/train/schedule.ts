/** The learning-rate schedule belongs to the config's meaning, so it lives beside the config schema. */
export { MAX_WARMUP_FRACTION, warmupSteps, learningRate } from '../../api/lrSchedule.js';
