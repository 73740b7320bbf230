/**
 * Text bound for a terminal that may hold data from outside (values from a
 * history, file names, messages of a node): control characters in it are
 * written as `\u001b` escapes, so a history cannot move the cursor, clear
 * the screen, retitle the window or hide text from the person reading.
 *
 * Escaped: C0 controls except tab and newline (so ESC and a bare carriage
 * return too), DEL, C1 controls (U+0080-U+009F: U+009B starts an escape
 * sequence on some terminals), and the Unicode bidirectional overrides and
 * isolates (they reorder what is shown). The escapes are JSON escapes, so
 * JSON text stays valid JSON with the same meaning.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character replaced by its `\uXXXX` escape. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
