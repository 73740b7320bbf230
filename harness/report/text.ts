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

/**
 * A run's target options in a line ("readMode: serializable, isolation: ..."),
 * from test.json's `options` (its targetOptions); undefined when none are recorded
 * or the field is not a record.
 */
export function targetOptionsText(options: unknown): string | undefined {
  const target =
    typeof options === 'object' && options !== null ? (options as Record<string, unknown>)['targetOptions'] : undefined;
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return undefined;
  const pairs = Object.entries(target).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : shortJson(v, 100)}`);
  return pairs.length > 0 ? truncate(pairs.join(', '), 300) : undefined;
}
