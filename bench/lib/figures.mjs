// The result format shared by every suite and by summarize.mjs:
//   bench/results/<suite>.json = { suite, machine, date, quick, figures: [Figure], targets: [Target], details }
//   Figure = { name, unit, flowlab, peer, peerName, ratio, lowerIsBetter?, limit?, flowlabMissing?, peerMissing?, note? }
// flowlab and peer are numbers, or null with the reason in flowlabMissing / peerMissing (a peer
// that cannot run is reported missing, never as zero). ratio = flowlab / peer; every figure is
// "higher is better".
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A measured value, or { missing: reason }. */
export function missing(reason) {
  return { missing: reason };
}

function split(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return { value: v, reason: null };
  if (v && typeof v === 'object' && 'missing' in v) return { value: null, reason: v.missing };
  return { value: null, reason: 'not measured' };
}

export function figure(name, unit, flowlab, peer, peerName, note, { lowerIsBetter = false, limit = false } = {}) {
  const f = split(flowlab);
  const p = split(peer);
  const both = f.value !== null && p.value !== null;
  let ratio = null;
  if (both && !lowerIsBetter && p.value > 0) ratio = f.value / p.value;
  if (both && lowerIsBetter && p.value > 0 && f.value > 0) ratio = p.value / f.value;
  /** @type {{ name: string, unit: string, flowlab: number | null, peer: number | null, peerName: string, ratio: number | null, lowerIsBetter?: boolean, limit?: boolean, flowlabMissing?: string, peerMissing?: string, note?: string }} */
  const out = { name, unit, flowlab: f.value, peer: p.value, peerName, ratio };
  if (lowerIsBetter) out.lowerIsBetter = true;
  // The peer is a ceiling (the MatMul limit), not a competitor: a ratio below 1 is expected.
  if (limit) out.limit = true;
  if (f.reason) out.flowlabMissing = f.reason;
  if (p.reason) out.peerMissing = p.reason;
  if (note) out.note = note;
  return out;
}

/** A stated goal: met is null when the figure it needs is missing. */
export function target(name, goal, value, threshold) {
  return { name, goal, value: value ?? null, met: value === null || value === undefined ? null : value >= threshold };
}

export function writeResult(dir, suite, body) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  writeFileSync(file, JSON.stringify({ suite, ...body }, null, 2) + '\n');
  return file;
}

/** The value of a child run, or a missing marker carrying its reason. */
export function valueOr(run, pick) {
  if (!run.ok) return missing(run.reason);
  try {
    const v = pick(run.value);
    return v === undefined || v === null ? missing('not reported') : v;
  } catch (err) {
    return missing(String(err.message ?? err));
  }
}
