/**
 * uPlot, typed by its own declarations. render.ts inlines uPlot's IIFE build
 * as a separate script before this one (with its licence header), which
 * defines the global `uPlot`; this module hands it on with its types.
 */
import type UPlot from 'uplot';

export type { UPlot };

export const uPlot: typeof UPlot = (window as unknown as { uPlot: typeof UPlot }).uPlot;
