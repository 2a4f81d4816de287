/**
 * The class histogram of samples as bars: each class's share p of the n labelled samples with its
 * standard error sqrt(p (1 - p) / n) (api/metricInfo.ts fractionStdErr), and a sentence a screen
 * reader reads in place of the chart.
 */
import { fractionStdErr } from '../../src-main/api/metricInfo.js';

export interface ClassBar {
  label: string;
  p: number;
  se: number;
}

export function classBars(fractions: readonly number[], n: number, labels?: readonly string[]): ClassBar[] {
  return fractions.map((p, k) => ({ label: labels?.[k] ?? String(k), p, se: fractionStdErr(p, n) }));
}

/** "Most common: 1 (22%); rarest: 5 (3%); uniform would be 10% each." */
export function histogramSummary(bars: readonly ClassBar[]): string {
  if (!bars.length) return 'No classes';
  const pct = (p: number) => `${(100 * p).toFixed(1)}%`;
  const most = bars.reduce((a, b) => (b.p > a.p ? b : a));
  const least = bars.reduce((a, b) => (b.p < a.p ? b : a));
  return `Most common: ${most.label} (${pct(most.p)}); rarest: ${least.label} (${pct(least.p)}); uniform would be ${pct(1 / bars.length)} each.`;
}
