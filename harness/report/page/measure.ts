/**
 * Text widths for laying out SVG labels before they are in the document
 * (measured on a canvas with the same font as the stylesheet gives them).
 */

/** The font of `.anomaly svg text` in report.css. */
export const DIAGRAM_FONT = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

let context: CanvasRenderingContext2D | null | undefined;

/** Width in CSS pixels of `text` in `font`; an estimate (7.3 px a character) when there is no canvas. */
export function textWidth(text: string, font: string = DIAGRAM_FONT): number {
  if (context === undefined) context = document.createElement('canvas').getContext('2d');
  if (!context) return text.length * 7.3;
  context.font = font;
  return context.measureText(text).width;
}

/**
 * `text` broken into lines at most `maxWidth` wide: at spaces where it can,
 * inside a word when a word alone is too wide. Never drops a character.
 */
export function wrapText(text: string, maxWidth: number, width: (s: string) => number = textWidth): string[] {
  if (width(text) <= maxWidth) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<= )/)) {
    if (width(line + word) <= maxWidth) {
      line += word;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    let rest = word;
    while (width(rest) > maxWidth && rest.length > 1) {
      const n = longestFit(rest, maxWidth, width);
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line.trimEnd()) lines.push(line.trimEnd());
  return lines;
}

/** The most leading characters of `text` (at least 1) that fit in `maxWidth`, by bisection. */
function longestFit(text: string, maxWidth: number, width: (s: string) => number): number {
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (width(text.slice(0, mid)) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
