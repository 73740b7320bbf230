/**
 * One sentence per violation, naming the session, the key, the values, the
 * times (seconds since the test started) and the nodes that served the ops:
 * "process 3 wrote 5 to key 7 (ok at 12.1 s via n1), then read 4 from n2 at
 * 12.4 s, an older version (4 was acknowledged at 11.8 s, before 5 was
 * written at 11.9 s)".
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { keyText } from './ops.js';
import type { OlderVersion, SessionOp } from './result.js';

/** ns since the start as seconds, to the millisecond without trailing zeros: "12.1 s", "0.004 s". */
export function seconds(ns: number): string {
  const text = (ns / 1e9).toFixed(3).replace(/0+$/, '');
  return `${text.endsWith('.') ? `${text}0` : text} s`;
}

const process = (op: SessionOp): string => `process ${String(op.process)}`;
const via = (op: SessionOp): string => (op.node === undefined ? '' : ` via ${op.node}`);
const from = (op: SessionOp): string => (op.node === undefined ? '' : ` from ${op.node}`);

/** How a write ended: "ok at 12.1 s via n1" or "outcome unknown, invoked at 12.0 s via n1". */
function outcome(write: SessionOp): string {
  return write.outcome === 'ok'
    ? `ok at ${seconds(write.time)}${via(write)}`
    : `outcome unknown, invoked at ${seconds(write.invokeTime)}${via(write)}`;
}

/** "4" or "nothing (the initial value)". */
const readValue = (value: Json): string => (value === null ? 'nothing (the initial value)' : show(value));

/** ", an older version (4 was acknowledged at 11.8 s, before 5 was written at 11.9 s)", or "" for null. */
function older(order: OlderVersion | undefined): string {
  if (order === undefined || order.known === undefined) return '';
  const how = order.known.how === 'acknowledged' ? 'was acknowledged' : 'had been read';
  return (
    `, an older version (${show(order.older)} ${how} at ${seconds(order.known.time)}, ` +
    `before ${show(order.newer)} was written at ${seconds(order.newerInvoked.time)})`
  );
}

/** ", nor 2 more of its own adds" and the like; "" when only one is missing. */
function more(missing: number, what: string): string {
  return missing > 1 ? `, nor ${missing - 1} more ${what}` : '';
}

export const explain = {
  registerReadYourWrites(key: Json | undefined, write: SessionOp, read: SessionOp, order?: OlderVersion): string {
    return (
      `${process(write)} wrote ${show(write.value)} to ${keyText(key)} (${outcome(write)}), ` +
      `then read ${readValue(read.value)}${from(read)} at ${seconds(read.time)}${older(order)}`
    );
  },

  registerMonotonicReads(key: Json | undefined, earlier: SessionOp, read: SessionOp, order?: OlderVersion): string {
    return (
      `${process(earlier)} read ${show(earlier.value)} on ${keyText(key)}${from(earlier)} at ${seconds(earlier.time)}, ` +
      `then read ${readValue(read.value)}${from(read)} at ${seconds(read.time)}${older(order)}`
    );
  },

  setReadYourWrites(key: Json | undefined, add: SessionOp, read: SessionOp, missing: number): string {
    return (
      `${process(add)} added ${show(add.value)} to ${keyText(key, 'set')} (${outcome(add)}), ` +
      `then read it${from(read)} at ${seconds(read.time)} without ${show(add.value)}${more(missing, 'of its own adds')}`
    );
  },

  setMonotonicReads(key: Json | undefined, earlier: SessionOp, element: Json, read: SessionOp, missing: number) {
    return (
      `${process(earlier)} read ${keyText(key, 'set')}${from(earlier)} at ${seconds(earlier.time)} and saw ` +
      `${show(element)}, then read it${from(read)} at ${seconds(read.time)} without ${show(element)}` +
      more(missing, 'elements it had seen')
    );
  },

  setMonotonicWrites(key: Json | undefined, earlier: SessionOp, write: SessionOp, read: SessionOp, missing: number) {
    return (
      `${process(earlier)} added ${show(earlier.value)} to ${keyText(key, 'set')} (${outcome(earlier)}), ` +
      `then ${show(write.value)} (${outcome(write)}); ${process(read)} read it${from(read)} at ` +
      `${seconds(read.time)} and saw ${show(write.value)} but not ${show(earlier.value)}` +
      more(missing, `of ${process(earlier)}'s earlier adds`)
    );
  },

  setWritesFollowReads(
    key: Json | undefined,
    earlier: SessionOp,
    element: Json,
    write: SessionOp,
    read: SessionOp,
    missing: number,
  ): string {
    return (
      `${process(earlier)} read ${keyText(key, 'set')}${from(earlier)} at ${seconds(earlier.time)} and saw ` +
      `${show(element)}, then added ${show(write.value)} (${outcome(write)}); ${process(read)} read it` +
      `${from(read)} at ${seconds(read.time)} and saw ${show(write.value)} but not ${show(element)}` +
      more(missing, `elements ${process(earlier)} had seen`)
    );
  },
};
