/**
 * A backend probe in its own process (runtime.ts, probeInChild): runs the tiny model on the
 * backend named by the first argument and prints one JSON line, {"reason": null} when it works or
 * {"reason": "why not"}. Whatever the native libraries print goes to this process's stderr, which
 * the parent keeps to itself.
 */
import { BACKEND_PREFERENCE, probeHere, type Backend } from './runtime.js';

const b = process.argv[2] as Backend;
const reason = BACKEND_PREFERENCE.includes(b) ? await probeHere(b) : `unknown backend '${b}'`;
process.stdout.write(`${JSON.stringify({ reason })}\n`, () => process.exit(0));
