/**
 * Queue models: f "enqueue" (value: the element) and "dequeue" (value: the
 * element taken, null when the queue was empty).
 *
 * fifo-queue: a dequeue takes the oldest element. An open (info) dequeue, if it
 * happened, took the oldest element (or nothing from an empty queue).
 *
 * unordered-queue: a dequeue may take any element present. An open (info)
 * dequeue is dropped (assumed to take nothing), because which element it took
 * is unknown. Known limit: if such a dequeue did take an element, a later ok
 * dequeue that found the queue empty is reported as illegal.
 *
 * Initial: options.initial (an array of elements, oldest first), default [].
 */

import { canonicalJson, jsonEqual, show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { ILLEGAL, type Model, type ModelOptions } from './model.js';

const list = (state: readonly Json[]): string => `[${state.map(show).join(', ')}]`;

function initialList(name: string, options: ModelOptions): Json[] {
  const initial = options.initial ?? [];
  if (!Array.isArray(initial)) throw new Error(`${name} model: initial must be an array, got ${show(initial)}`);
  return initial;
}

function validateQueueOp(name: string) {
  return (op: { f: string }): void => {
    if (op.f !== 'enqueue' && op.f !== 'dequeue') {
      throw new Error(`${name} model: unknown f ${JSON.stringify(op.f)} (known: enqueue, dequeue)`);
    }
  };
}

export function fifoQueue(options: ModelOptions): Model<readonly Json[]> {
  const initial = initialList('fifo-queue', options);
  return {
    name: 'fifo-queue',
    init: () => initial,
    step(state, op) {
      if (op.f === 'enqueue') return [...state, op.value ?? null];
      if (op.f !== 'dequeue') return ILLEGAL;
      if (op.outcome === 'info') return state.slice(1);
      if (op.value === null || op.value === undefined) return state.length === 0 ? state : ILLEGAL;
      return state.length > 0 && jsonEqual(state[0], op.value) ? state.slice(1) : ILLEGAL;
    },
    whyIllegal(state, op) {
      if (op.f !== 'dequeue') return `fifo-queue has no operation ${op.f}`;
      if (state.length === 0) return 'the queue is empty';
      return `the queue holds ${list(state)}: the next element is ${show(state[0])}`;
    },
    stateKey: (state) => canonicalJson(state as Json[]),
    stateJson: (state) => [...state],
    describeState: (state) => `queue holds ${list(state)}`,
    describeOp: (op) =>
      op.f === 'dequeue' && op.outcome === 'info'
        ? 'dequeue (unknown result)'
        : op.f === 'dequeue' && op.value === null
          ? 'dequeue (empty)'
          : `${op.f} ${show(op.value)}`,
    validate: validateQueueOp('fifo-queue'),
    isReadOnly: (op) => op.f === 'dequeue' && op.outcome === 'ok' && (op.value === null || op.value === undefined),
  };
}

/** The unordered queue's state: sorted canonical texts of the elements (a multiset). */
type Bag = readonly string[];

export function unorderedQueue(options: ModelOptions): Model<Bag> {
  const initial = initialList('unordered-queue', options).map(canonicalJson).sort();
  return {
    name: 'unordered-queue',
    init: () => initial,
    step(state, op) {
      if (op.f === 'enqueue') return [...state, canonicalJson(op.value ?? null)].sort();
      if (op.f !== 'dequeue') return ILLEGAL;
      if (op.value === null || op.value === undefined) return state.length === 0 ? state : ILLEGAL;
      const at = state.indexOf(canonicalJson(op.value));
      if (at < 0) return ILLEGAL;
      return [...state.slice(0, at), ...state.slice(at + 1)];
    },
    whyIllegal(state, op) {
      if (op.f !== 'dequeue') return `unordered-queue has no operation ${op.f}`;
      if (op.value === null || op.value === undefined) return `the queue is not empty: it holds [${state.join(', ')}]`;
      return state.length === 0 ? 'the queue is empty' : `${show(op.value)} is not in the queue [${state.join(', ')}]`;
    },
    stateKey: (state) => state.join('\u0000'),
    stateJson: (state) => state.map((e) => JSON.parse(e) as Json),
    describeState: (state) => `queue holds [${state.join(', ')}]`,
    describeOp: (op) => (op.f === 'dequeue' && op.value === null ? 'dequeue (empty)' : `${op.f} ${show(op.value)}`),
    validate: validateQueueOp('unordered-queue'),
    isReadOnly: (op) => op.f === 'dequeue' && (op.value === null || op.value === undefined),
    isNoop: (op) => op.f === 'dequeue' && op.outcome === 'info',
  };
}
