/**
 * What every part of the page draws from: the page data (the JSON that
 * page-data.ts embeds, typed by ../page-types.ts), where to draw, and the
 * few things parts share.
 */
import type { PageData } from '../page-types.js';
import { FaultColors } from './colors.js';
import type { UPlot } from './uplot.js';

export interface PageContext {
  data: PageData;
  /** The <main> element the report is drawn into. */
  root: HTMLElement;
  /** True when the history has no times: times are history positions (1 position = 1 s in the data). */
  untimed: boolean;
  /** One colour per fault name, the same in every chart and the timeline. */
  faultColors: FaultColors;
  /** The uPlot charts drawn, resized with the window. */
  charts: { chart: UPlot; parent: HTMLElement }[];
}

export function pageContext(data: PageData, root: HTMLElement): PageContext {
  return { data, root, untimed: data.meta.untimed, faultColors: new FaultColors(), charts: [] };
}

/** Width for a chart inside `node`: its width, at least 320 px. */
export function chartWidth(ctx: PageContext, node: HTMLElement): number {
  return Math.max(320, (node.clientWidth || ctx.root.clientWidth || 900) - 4);
}

/** Width for an SVG diagram in the anomaly area. */
export function diagramWidth(ctx: PageContext): number {
  return Math.min(1400, (ctx.root.clientWidth || 1000) - 8);
}
