/** Sample-based distances between point clouds and transport-geometry figures (no ONNX needed). */
export { type PointCloud, type Samples } from './pointCloud.js';
export { energyDistance } from './energyDistance.js';
export { MMD_MEDIAN_SCALES, mmd, mmdWithFloor, type MmdOptions, type MmdResult, type MmdWithFloor } from './mmd.js';
export { MEDIAN_SUBSAMPLE, medianPairwiseDistance } from './medianHeuristic.js';
export { SLICED_W2_PROJECTIONS, slicedW2, w2SquaredSorted1d, type SlicedW2Options } from './slicedW2.js';
export { solveAssignment } from './assignment.js';
export { EXACT_W2_MAX_POINTS, exactW2, type ExactW2Result } from './exactW2.js';
export { withFloor, type CalibratedDistance, type SampleDistance } from './calibrationFloor.js';
export { meanNorm, pathEnergy, straightness, type NormStats } from './transportGeometry.js';
export { meanStdErr, type MeanStdErr } from './meanStdErr.js';
