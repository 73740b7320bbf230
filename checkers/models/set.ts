/**
 * set: f "add" (value: the element) and "read" (value: the whole set, as an
 * array in any order). A read must return exactly the elements added before it.
 * Initial: options.initial (an array), default [].
 */

import { canonicalJson, show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { ILLEGAL, type Model, type ModelOptions } from './model.js';

/** The set as sorted canonical texts of its elements (so equal sets are equal arrays). */
type Elements = readonly string[];

function elementsOf(value: Json[]): Elements {
  return [...new Set(value.map(canonicalJson))].sort();
}

function sameElements(a: Elements, b: Elements): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function set(options: ModelOptions): Model<Elements> {
  const initial = options.initial ?? [];
  if (!Array.isArray(initial)) throw new Error(`set model: initial must be an array, got ${show(initial)}`);
  const parsed = JSON.parse;
  return {
    name: 'set',
    init: () => elementsOf(initial),
    step(state, op) {
      if (op.f === 'add') {
        const e = canonicalJson(op.value ?? null);
        if (state.includes(e)) return state;
        return [...state, e].sort();
      }
      if (op.f === 'read') {
        if (op.outcome === 'info') return state;
        return sameElements(state, elementsOf(op.value as Json[])) ? state : ILLEGAL;
      }
      return ILLEGAL;
    },
    whyIllegal(state, op) {
      if (op.f !== 'read') return `set has no operation ${op.f}`;
      const read = elementsOf(op.value as Json[]);
      const missing = state.filter((e) => !read.includes(e));
      const extra = read.filter((e) => !state.includes(e));
      const parts = [];
      if (missing.length > 0) parts.push(`it lacks ${missing.join(', ')}`);
      if (extra.length > 0) parts.push(`it has ${extra.join(', ')}, never added at this point`);
      return `set holds {${state.join(', ')}}: ${parts.join('; ')}`;
    },
    stateKey: (state) => state.join('\u0000'),
    stateJson: (state) => state.map((e) => parsed(e) as Json),
    describeState: (state) => `set holds {${state.join(', ')}}`,
    describeOp: (op) =>
      op.f === 'read' && op.outcome === 'info' ? 'read (unknown result)' : `${op.f} ${show(op.value)}`,
    validate(op) {
      if (op.f !== 'add' && op.f !== 'read')
        throw new Error(`set model: unknown f ${JSON.stringify(op.f)} (known: add, read)`);
      if (op.f === 'read' && op.outcome === 'ok' && !Array.isArray(op.value)) {
        throw new Error(`set model: a read's value must be an array of elements, got ${show(op.value)}`);
      }
    },
    isReadOnly: (op) => op.f === 'read',
    isNoop: (op) => op.f === 'read' && op.outcome === 'info',
  };
}
