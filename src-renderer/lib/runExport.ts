/**
 * A run's files as the run page exports them, callable from any page: the server's exports
 * (the velocity net as ONNX, the latest samples as NPY: [n, C, H, W] for images) arrive as bytes
 * in the browser or are saved by the desktop app; the gallery's PNG grid is drawn here from the
 * run's latest samples, as the run page's gallery draws it.
 */
import { api } from './state/app.svelte.js';
import { downloadBytes } from './download.js';
import { exportGalleryPng, shapeOrReason } from './galleryExport.js';
import type { ExportFormat } from '../../src-main/api/schemas.js';

/** Runs export.run; returns what happened, in a line. */
export async function exportRunFile(runId: string, format: ExportFormat): Promise<string> {
  const r = await api.call('export.run', { runId, format });
  if (r.bytes) downloadBytes(r.bytes, r.fileName);
  return r.path ? `Saved ${r.path} (${r.size} bytes)` : `Downloaded ${r.fileName} (${r.size} bytes)`;
}

/** The run's latest samples (drawn, else the latest training preview) as a PNG grid. */
export async function exportRunGallery(runId: string): Promise<string> {
  const s = await api.call('runs.samples', { runId });
  if (!s) throw new Error(`run ${runId} has no samples yet; sample it first`);
  const shape = shapeOrReason(s);
  if (typeof shape === 'string') throw new Error(shape);
  const fileName = `${runId}-gallery.png`;
  exportGalleryPng(s, shape, fileName);
  return `Downloaded ${fileName} (${s.n} images)`;
}
