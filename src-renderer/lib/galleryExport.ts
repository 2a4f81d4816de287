/**
 * The gallery's exports, one path for the run page and the runs table: the images as a PNG grid
 * (drawn as the gallery draws them, one pixel per pixel) and the samples as NPY [n, C, H, W].
 */
import { drawImageGrid, gridColumns, imageShapeOf, imagesNpy, type ImageShape } from './images.js';
import { downloadBytes, downloadCanvas } from './download.js';

export interface ImageRows {
  data: Float32Array;
  n: number;
  d: number;
}

/** The rows' image shape, or a one-line reason they are not images. */
export function shapeOrReason(s: ImageRows): ImageShape | string {
  return imageShapeOf(s.d) ?? `samples of ${s.d} values are not square images; export them as NPY or CSV instead`;
}

export function exportGalleryPng(s: ImageRows, shape: ImageShape, fileName: string): void {
  const canvas = document.createElement('canvas');
  drawImageGrid(canvas, s.data, s.n, shape, gridColumns(s.n), 1);
  downloadCanvas(canvas, fileName);
}

export function exportImagesNpy(s: ImageRows, shape: ImageShape, fileName: string): void {
  downloadBytes(imagesNpy(s.data, s.n, shape), fileName);
}
