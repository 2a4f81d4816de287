export { openStore, ORPHAN_SWEEP_MS, Store } from './store.js';
export { BUSY_TIMEOUT_MS, DATABASE_FILE, openDatabase, openStoreFile, type OpenOptions } from './open.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations.js';
export { blobToFloat32, float32ToBlob } from './blobs.js';
export { claimRun, isProcessAlive, OWNED_STATUSES, recoverInterruptedRuns } from './recovery.js';
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
