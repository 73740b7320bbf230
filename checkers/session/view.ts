/**
 * How a session-guarantees result is shown: one line with the ladder (which
 * guarantees were violated, held, not exercised, not observable), and for
 * the report one section: a sentence block per violated guarantee, the
 * ladder as a table, the violations as a table, and the anomalies no
 * guarantee explains (unexplained register reads, lost or unexpected set
 * elements). The ladder is drawn for a valid result too: next to a failed
 * linearizability check it says which weaker guarantees still held.
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { type Block, type Cell, defineView, type ReportSection, type ViewContext } from '../view.js';
import type { GuaranteeStatus, GuaranteeVerdict, SessionOp, SessionResult, SessionViolation } from './result.js';

/** Example sentences per violated guarantee in its explain block. */
const EXAMPLES = 3;

const STATUS_TEXT: Record<GuaranteeStatus, string> = {
  violated: 'violated',
  held: 'held',
  'not-exercised': 'not exercised',
  'not-observable': 'not observable',
};

export const sessionView = defineView<SessionResult>({
  kind: 'session',
  summary(r) {
    if (r.valid === 'unknown' && r.error !== undefined) return `session (${r.datatype}): ${r.error}`;
    const groups = (['violated', 'held', 'not-exercised', 'not-observable'] as const)
      .map((status) => ({ status, rungs: r.ladder.filter((x) => x.status === status) }))
      .filter((g) => g.rungs.length > 0)
      .map(({ status, rungs }) => {
        const names = rungs.map((x) => (status === 'violated' ? `${x.guarantee} (${x.violations})` : x.guarantee));
        return `${STATUS_TEXT[status]} ${names.join(', ')}`;
      });
    const extra: string[] = [];
    if (r.unexplainedCount > 0) extra.push(`${r.unexplainedCount} read(s) no write explains`);
    if (r.lostCount > 0) extra.push(`${r.lostCount} acknowledged add(s) lost`);
    if (r.unexpectedCount > 0) extra.push(`${r.unexpectedCount} unexpected element(s)`);
    if (r.stoppedEarly !== undefined) extra.push(`stopped early: ${r.stoppedEarly}`);
    return `session (${r.datatype}): ${[...groups, ...extra].join('; ')}`;
  },
  sections(r, checker, ctx) {
    if (r.reads === 0 && r.valid !== false) return [];
    const blocks: Block[] = [];
    for (const rung of r.ladder.filter((x) => x.status === 'violated')) {
      const examples = examplesOf(r.violations.filter((v) => v.guarantee === rung.guarantee));
      const rest = rung.violations - examples.length;
      blocks.push({
        type: 'text',
        role: 'explain',
        text:
          `${capitalise(rung.guarantee)} violated ${times(rung.violations)}` +
          `${rung.required ? '' : ' (not required)'}: ` +
          examples.map((v) => `${capitalise(v.explanation)}.`).join(' ') +
          (rest > 0 ? ` And ${rest} more.` : ''),
      });
    }
    if (r.stoppedEarly !== undefined) {
      blocks.push({
        type: 'text',
        role: 'note',
        text: `Checking stopped early (${r.stoppedEarly}): later reads were not judged.`,
      });
    }
    blocks.push(ladderTable(r));
    if (r.violations.length > 0) blocks.push(violationsTable(r, ctx));
    if (r.unexplained.length > 0) {
      blocks.push({
        type: 'table',
        caption: 'Reads no write explains (judged for no guarantee):',
        columns: ['key', 'process', 'read', 'at', 'why'],
        rows: r.unexplained.map((u) => [
          keyCell(u.key),
          String(u.read.process),
          opText(u.read),
          at(u.read, ctx),
          u.why,
        ]),
        total: r.unexplainedCount,
      });
    }
    if (r.setAnomalies.length > 0) {
      blocks.push({
        type: 'table',
        caption: 'Set anomalies (checkers/set): acknowledged adds lost, elements read that were never added:',
        columns: ['key', 'lost', 'unexpected'],
        rows: r.setAnomalies.map((a) => [keyCell(a.key), list(a.lost), list(a.unexpected)]),
      });
    }
    const violated = r.ladder.some((x) => x.status === 'violated');
    const title =
      violated || r.valid === false
        ? 'Session guarantees violated'
        : r.valid === 'unknown'
          ? 'Session guarantees: undecided'
          : 'Session guarantees: none violated';
    const section: ReportSection = { kind: 'session', checker, title, blocks };
    return [section];
  },
});

/** Up to EXAMPLES violations, from different sessions first (the first of a session tells the most). */
function examplesOf(violations: SessionViolation[]): SessionViolation[] {
  const firsts = new Map<string, SessionViolation>();
  for (const v of violations) {
    const session = `${String(v.process)}|${show(v.key ?? null)}`;
    if (!firsts.has(session)) firsts.set(session, v);
  }
  const picked = [...firsts.values()].slice(0, EXAMPLES);
  for (const v of violations) if (picked.length < EXAMPLES && !picked.includes(v)) picked.push(v);
  return picked.sort((a, b) => a.read.invokeIndex - b.read.invokeIndex);
}

function ladderTable(r: SessionResult): Block {
  const rows: Cell[][] = r.ladder.map((x: GuaranteeVerdict) => [
    x.guarantee,
    STATUS_TEXT[x.status],
    x.required ? 'yes' : 'no',
    x.judged,
    x.undecided,
    x.violations,
    x.note ?? null,
  ]);
  if (r.datatype === 'register') {
    rows.push(extraRow('every read explained by a write', r.unexplainedCount, r.reads));
  } else {
    rows.push(extraRow('no acknowledged add lost (checkers/set)', r.lostCount, r.reads));
    rows.push(extraRow('no unexpected element (checkers/set)', r.unexpectedCount, r.reads));
  }
  return {
    type: 'table',
    caption:
      `Which session guarantees held over ${r.reads} ok reads, ${r.writes} writes, ${r.sessions} sessions, ` +
      `${r.keys} keys. Judged: reads decided (for monotonic writes and writes-follow-reads: a read and each ` +
      'writer session it shows). Undecided: the order of the two versions involved is unknown.',
    columns: ['guarantee', 'status', 'required', 'judged', 'undecided', 'violations', 'note'],
    rows,
  };
}

function extraRow(name: string, count: number, reads: number): Cell[] {
  const status = count > 0 ? 'violated' : reads > 0 ? 'held' : 'not exercised';
  return [name, status, 'yes', null, null, count, null];
}

function violationsTable(r: SessionResult, ctx: ViewContext): Block {
  const rows = r.violations.map((v: SessionViolation): Cell[] => [
    v.guarantee,
    keyCell(v.key),
    String(v.process),
    opText(v.earlier),
    at(v.earlier, ctx),
    v.write ? opText(v.write) : null,
    v.write ? at(v.write, ctx) : null,
    `${opText(v.read)}${v.read.process === v.process ? '' : ` by process ${String(v.read.process)}`}`,
    at(v.read, ctx),
    list(v.missing),
  ]);
  return {
    type: 'table',
    caption: 'The violations: the session’s earlier op, its later write (when one carries the requirement), the read.',
    columns: ['guarantee', 'key', 'session', 'earlier op', 'at', 'then wrote', 'at', 'read', 'at', 'missing'],
    rows,
    total: r.ladder.reduce((n, x) => n + x.violations, 0),
  };
}

/** "write 5 via n1", "read [1,2] from n2", "add 6 (outcome unknown)". */
function opText(op: SessionOp): string {
  const node = op.node === undefined ? '' : op.f === 'read' ? ` from ${op.node}` : ` via ${op.node}`;
  const value = op.f === 'read' && op.value === null ? 'nothing' : show(op.value);
  return `${op.f} ${value}${node}${op.outcome === 'info' ? ' (outcome unknown)' : ''}`;
}

/** When an op took effect as far as the history shows: its ok completion, or its invocation when open. */
function at(op: SessionOp, ctx: ViewContext): Cell {
  return { time: ctx.timeOf(op.completeIndex ?? op.invokeIndex) };
}

function keyCell(key: Json | undefined): Cell {
  return key === undefined ? '(no key)' : show(key);
}

function list(values: Json[]): Cell {
  if (values.length === 0) return null;
  const head = values.slice(0, 20).map(show).join(', ');
  return values.length > 20 ? `${head}, … (${values.length})` : head;
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
