/**
 * A stream of numbered UDP packets from one node to another, for the delay
 * tests and the bench: counts what arrived, twice, or out of order, and each
 * packet's one-way delay. Runs the host's node binary on the nodes, so only
 * for runtimes sharing the host's filesystem and clock (netns): the sender
 * stamps each packet with CLOCK_MONOTONIC, the receiver subtracts its own.
 *
 * The sender first sends "hello" until the receiver answers (so no packet is
 * sent before the receiver listens), then `count` packets at `ratePerSecond`,
 * then "end"; the receiver stops `settleMs` after "end" (late and duplicate
 * packets still count) or at `timeoutMs`.
 */
import type { Runtime } from '../../../harness/runtime/runtime.js';

const RECEIVER = `
const [port, settleMs, timeoutMs] = process.argv.slice(1).map(Number);
const sock = require('node:dgram').createSocket('udp4');
const seen = new Map(); const delaysUs = []; const order = []; let arrivals = 0, reordered = 0, highest = -1, ended = false;
const finish = () => {
  const duplicates = [...seen.values()].reduce((s, n) => s + n - 1, 0);
  // Exit once the (possibly large) line is written: process.exit alone may cut a pipe write short.
  const line = JSON.stringify({ arrivals, unique: seen.size, duplicates, reordered, delaysUs, order }) + '\\n';
  process.stdout.write(line, () => process.exit(0));
};
setTimeout(finish, timeoutMs);
sock.on('message', (m, from) => {
  const kind = m.toString('latin1', 0, 4);
  if (kind === 'helo') { sock.send('ok', from.port, from.address); return; }
  if (kind === 'end!') { if (!ended) { ended = true; setTimeout(finish, settleMs); } return; }
  const seq = m.readUInt32BE(4); const sent = m.readBigUInt64BE(8);
  arrivals++;
  const n = seen.get(seq) ?? 0; seen.set(seq, n + 1);
  if (n > 0) return;
  delaysUs.push(Number((process.hrtime.bigint() - sent) / 1000n)); order.push(seq);
  if (seq < highest) reordered++; else highest = seq;
});
sock.bind(port);`;

const SENDER = `
const [host, port, count, rate] = process.argv.slice(1, 5).map((v, i) => (i === 0 ? v : Number(v)));
const sizes = process.argv[5].split(',').map(Number);
const sock = require('node:dgram').createSocket('udp4');
let started = false;
sock.on('message', () => { if (!started) { started = true; clearInterval(hello); stream(); } });
const hello = setInterval(() => sock.send('helo', port, host), 20);
function stream() {
  const t0 = process.hrtime.bigint(); let sent = 0;
  const tick = () => {
    const due = Math.min(count, Math.floor((Number(process.hrtime.bigint() - t0) / 1e9) * rate) + 1);
    while (sent < due) {
      const b = Buffer.alloc(Math.max(16, sizes[sent % sizes.length]), 0x5a); b.write('data', 0, 'latin1');
      b.writeUInt32BE(sent, 4); b.writeBigUInt64BE(process.hrtime.bigint(), 8);
      sock.send(b, port, host); sent++;
    }
    if (sent < count) setTimeout(tick, 1); // bursts of a millisecond's packets: no busy loop stealing a core
    else setTimeout(() => { sock.send('end!', port, host, () => { process.stdout.write(String(sent) + '\\n'); process.exit(0); }); }, 50);
  };
  tick();
}`;

export interface StreamResult {
  sent: number;
  /** Packets received, duplicates included. */
  arrivals: number;
  /** Distinct sequence numbers received. */
  unique: number;
  /** Copies beyond the first. */
  duplicates: number;
  /** Packets whose first copy arrived after a higher-numbered packet's. */
  reordered: number;
  /** One-way delay of each packet's first copy, milliseconds, in arrival order. */
  delaysMs: number[];
  /** The sequence numbers of the first copies, in arrival order. */
  order: number[];
}

/**
 * How many packets overtook an earlier-numbered one: arrived before some packet
 * with a lower number (pure). A stall of the receiver delays everything alike
 * and overtakes nothing, so this counts what the network (here, the helper) reordered.
 */
export function overtakers(order: readonly number[]): number {
  let count = 0;
  let lowestAfter = Number.POSITIVE_INFINITY;
  for (let i = order.length - 1; i >= 0; i--) {
    if (order[i]! > lowestAfter) count++;
    lowestAfter = Math.min(lowestAfter, order[i]!);
  }
  return count;
}

export interface StreamOptions {
  count: number;
  ratePerSecond: number;
  port?: number;
  /** Payload bytes (at least 16), or a list of sizes the packets take in turn; bytes past the header are 0x5a. */
  size?: number | number[];
  settleMs?: number;
}

/** Sends the stream from `from` to `to` (node names). Rejects with RuntimeCommandError when either end fails. */
export async function udpStream(
  runtime: Runtime,
  from: string,
  to: string,
  opts: StreamOptions,
): Promise<StreamResult> {
  const port = opts.port ?? 7100;
  const settleMs = opts.settleMs ?? 1_000;
  const expectedMs = (opts.count / opts.ratePerSecond) * 1000;
  const timeoutMs = Math.ceil(expectedMs + settleMs + 20_000);
  const receiving = runtime.exec(
    to,
    [process.execPath, '-e', RECEIVER, String(port), String(settleMs), String(timeoutMs)],
    {
      timeoutMs: timeoutMs + 5_000,
    },
  );
  const sending = runtime.exec(
    from,
    [
      process.execPath,
      '-e',
      SENDER,
      runtime.node(to).address,
      String(port),
      String(opts.count),
      String(opts.ratePerSecond),
      [opts.size ?? 16].flat().join(','),
    ],
    { timeoutMs: timeoutMs + 5_000 },
  );
  const [received, sent] = await Promise.all([receiving, sending]);
  const r = JSON.parse(received.stdout.trim()) as Omit<StreamResult, 'sent' | 'delaysMs'> & { delaysUs: number[] };
  return {
    sent: Number(sent.stdout.trim()),
    arrivals: r.arrivals,
    unique: r.unique,
    duplicates: r.duplicates,
    reordered: r.reordered,
    delaysMs: r.delaysUs.map((us) => us / 1000),
    order: r.order,
  };
}
