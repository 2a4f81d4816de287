// Interleaved passes: on a shared machine the load changes from one minute to the next, so a
// suite runs FlowLab and each peer alternately (A B, B A, ...) and keeps each one's best pass.
// Ratios then compare figures measured seconds apart under the same conditions.

/**
 * Merges several runs of one program: for each result key the result with the highest `rate`.
 * Failed runs are skipped; when every run failed, the first failure is returned.
 */
export function mergeBest(runs, key, rate) {
  const ok = runs.filter((r) => r.ok);
  if (ok.length === 0) return runs[0];
  const best = new Map();
  for (const r of ok) {
    for (const x of r.value.results) {
      const k = key(x);
      const prev = best.get(k);
      if (!prev || (typeof x[rate] === 'number' && !(x[rate] <= prev[rate]))) best.set(k, x);
    }
  }
  return {
    ok: true,
    value: { ...ok[0].value, results: [...best.values()], passes: ok.length },
    seconds: runs.reduce((s, r) => s + r.seconds, 0),
  };
}

/**
 * Runs the programs `passes` times, reversing their order on every other pass; an even number of
 * passes gives every program the same share of first and last places.
 */
export async function interleave(passes, programs) {
  const runs = programs.map(() => []);
  for (let p = 0; p < passes; p++) {
    const order = programs.map((_, i) => i);
    if (p % 2 === 1) order.reverse();
    for (const i of order) runs[i].push(await programs[i]());
  }
  return runs;
}
