/** Small helpers turning recorded data into short strings for the report. */

/** JSON of `value`, cut to at most `max` characters (with "…" when cut). Undefined shows as "". */
export function shortJson(value: unknown, max: number): string {
  let text: string;
  try {
    text = value === undefined ? '' : typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value); // e.g. a cycle; recorded data never has one, but never crash the report
  }
  return truncate(text, max);
}

/** `text` cut to at most `max` characters, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1)}…`;
}
