export { openStore, Store } from './store.js';
export { DATABASE_FILE, openDatabase } from './open.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations.js';
export { blobToFloat32, float32ToBlob } from './blobs.js';
export { isProcessAlive, recoverInterruptedRuns } from './recovery.js';
export {
  ACTIVE_STATUSES, RUN_STATUSES,
  type FinalStatus, type RunFilter, type RunInit, type RunPatch, type RunRecord, type RunStatus,
} from './runs.js';
export type { MetricRow, MetricSeries } from './metrics.js';
export type {
  AdamMoments, CheckpointInfo, CheckpointInit, CheckpointRecord, SaveCheckpointOptions,
} from './checkpoints.js';
export type { SampleKind, SamplesInfo, SamplesInit, SamplesRecord } from './samples.js';
export type { EvaluationRecord } from './evaluations.js';
export type { ArtifactRecord } from './artifacts.js';
