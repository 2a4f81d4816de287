import type { BBox } from '../types.js';

/** [-4, 4]^2: the window FFJORD-style toy code plots in; every toy here puts almost all its mass inside it. */
export const PLOT_WINDOW: BBox = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };
