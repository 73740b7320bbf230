/** Escaping for the XML faultline writes (JUnit files). */

/**
 * False for the code points XML 1.0 cannot hold at all, even escaped: C0
 * controls but tab, LF and CR; U+FFFE, U+FFFF; and lone surrogates (which
 * iterating a string yields for broken UTF-16).
 */
function xmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return code !== 0xfffe && code !== 0xffff;
}

/** Text content: & < > escaped; characters XML cannot hold (and lone surrogates) replaced by U+FFFD. */
export function xmlText(text: string): string {
  let clean = '';
  for (const char of text) clean += xmlChar(char.codePointAt(0)!) ? char : '\uFFFD';
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value (in double quotes): as xmlText, plus quotes, and line breaks and tabs kept as references. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
