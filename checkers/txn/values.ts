/**
 * Keys and values (list elements, register values) as Map keys: numbers,
 * strings, booleans and null as themselves (5 and "5" differ), anything
 * else by its canonical JSON text.
 */
import { jsonKey } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';

export type ValueKey = string | number | boolean | null;

export const valueKey = (v: Json): ValueKey => (typeof v === 'object' && v !== null ? jsonKey(v) : v);
