/**
 * Limits that hold in every door and that the engine checks too (it may import this file, not
 * the rest of the contract). schemas.ts re-exports them for the API's schemas.
 */

/**
 * Largest data file FlowLab reads (bytes), uploaded, picked or named on the command line: keeps
 * one upload message under ~270 MB of base64 and a parsed table in a few hundred MB.
 */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/**
 * Most memory one job may plan to hold (bytes): samples, trajectories, a net's weights and
 * optimizer state and its activations. Checked against an estimate before the job allocates,
 * so a request too large is refused in words instead of the engine being killed for memory.
 */
export const MAX_JOB_MEMORY_BYTES = 4 * 1024 ** 3;
