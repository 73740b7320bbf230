/**
 * The counter service's client: one HTTP request per op. The one place that
 * decides definite (fail) versus indefinite (info): a read that failed
 * changed nothing; an incr failed for sure only when the connection was
 * refused, or the node said the home node refused it (503).
 */
import type { Client, ClientOp, Completion, NodeInfo } from 'faultline';

export class CounterClient implements Client {
  private base = '';

  constructor(private readonly port: number) {}

  async open(node: NodeInfo): Promise<void> {
    this.base = `http://${node.address}:${this.port}`;
  }

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    try {
      if (op.f === 'read') {
        const answer = await fetch(`${this.base}/counter/${String(op.key)}`, { signal });
        if (!answer.ok) return { type: 'fail', error: `HTTP ${answer.status}` };
        return { type: 'ok', value: ((await answer.json()) as { value: number }).value };
      }
      const answer = await fetch(`${this.base}/incr/${String(op.key)}`, {
        method: 'POST',
        body: JSON.stringify({ delta: op.value }),
        signal,
      });
      if (answer.status === 200) return { type: 'ok' };
      const { error } = (await answer.json()) as { error?: string };
      return { type: answer.status === 503 ? 'fail' : 'info', error: error ?? `HTTP ${answer.status}` };
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      const refused = code === 'ECONNREFUSED';
      return { type: op.f === 'read' || refused ? 'fail' : 'info', error: code ?? String(err) };
    }
  }

  async close(): Promise<void> {}
}
