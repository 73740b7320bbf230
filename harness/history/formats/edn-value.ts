/**
 * One EDN form to a JSON value, through edn-data. Keywords, symbols and
 * characters become strings (:cas -> "cas"), vectors, lists and sets become
 * arrays, nil becomes null, maps become objects (a key that is not a string
 * is written as JSON: {1 :a} -> {"1": "a"}), #inst and #uuid keep their
 * string, other tags become {"tag": ..., "value": ...}, and big integers
 * (123N) become numbers when exact, else strings.
 */
import { parseEDNString } from 'edn-data';
import type { Json } from '../op.js';

const EDN_OPTIONS = {
  mapAs: 'map',
  setAs: 'array',
  listAs: 'array',
  keywordAs: 'string',
  symbolAs: 'string',
  charAs: 'string',
  tagHandlers: {
    inst: (value: unknown) => value,
    uuid: (value: unknown) => value,
  },
} as const;

/** Returns the form as a JSON value; throws an Error (from edn-data) when it cannot be read. */
export function ednFormToJson(text: string): Json {
  return toJson(parseEDNString(text, EDN_OPTIONS));
}

const KEYWORD = /^:[A-Za-z*+!_?<>=-][\w*+!?<>=./-]*$/;
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

/**
 * The value of a lone nil, boolean, small integer or plain keyword, read
 * directly (the common columns of history.txt, read fast); undefined for
 * anything else, which then goes through ednFormToJson.
 */
export function simpleAtom(text: string): Json | undefined {
  if (text === 'nil') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (KEYWORD.test(text)) return text.slice(1);
  if (INTEGER.test(text)) return Number(text);
  return undefined;
}

/**
 * Returns the EDN map form as a Map from string keys to JSON values, or
 * undefined when the form is not a map. Throws an Error when it cannot be read.
 */
export function ednMapToFields(text: string): Map<string, Json> | undefined {
  const parsed = parseEDNString(text, EDN_OPTIONS);
  if (!(parsed instanceof Map)) return undefined;
  const fields = new Map<string, Json>();
  for (const [key, value] of parsed) fields.set(keyText(key), toJson(value));
  return fields;
}

function keyText(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(toJson(key));
}

function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    // fromEntries makes own properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries([...value].map(([key, item]) => [keyText(key), toJson(item)]));
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'tag' in value && 'val' in value) {
    return { tag: String(value.tag), value: toJson(value.val) };
  }
  return String(value);
}
