/** "min X ms  median Y ms  max Z ms" for a list of durations in milliseconds. */
export function summary(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `min ${at(0)} ms  median ${at(0.5)} ms  max ${sorted[sorted.length - 1]!.toFixed(1)} ms`;
}
