/**
 * One-off questions to a Redis server or a Sentinel from the controller
 * (readiness, who is primary, the TIME a server reports): a fresh connection
 * per question, bounded in time, closed afterwards.
 */
import { Redis } from 'ioredis';

/** How long connecting and answering may take, each. */
export const ADMIN_TIMEOUT_MS = 1_000;

/**
 * Sends one command (e.g. ['ROLE'], ['SENTINEL', 'get-master-addr-by-name', 'faultline'])
 * to address:port and resolves with the reply. Rejects when it cannot
 * connect, the command fails, or either takes longer than ADMIN_TIMEOUT_MS.
 */
export async function ask(address: string, port: number, command: readonly string[]): Promise<unknown> {
  const redis = new Redis({
    host: address,
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    connectTimeout: ADMIN_TIMEOUT_MS,
    commandTimeout: ADMIN_TIMEOUT_MS,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const [name, ...args] = command;
    return await redis.call(name!, ...args);
  } finally {
    redis.disconnect();
  }
}

/** What ROLE says about a server. */
export type Role =
  | { role: 'master'; replicas: { address: string; port: number; offset: number }[] }
  | { role: 'slave'; primary: string; primaryPort: number; state: string }
  | { role: 'other'; reply: unknown };

/** The ROLE reply read into a Role (never throws: an unexpected shape is `other`). */
export function parseRole(reply: unknown): Role {
  if (!Array.isArray(reply)) return { role: 'other', reply };
  const [role] = reply as unknown[];
  if (role === 'master' && Array.isArray(reply[2])) {
    const replicas = (reply[2] as unknown[]).filter(Array.isArray).map((r) => ({
      address: String(r[0]),
      port: Number(r[1]),
      offset: Number(r[2]),
    }));
    return { role: 'master', replicas };
  }
  if (role === 'slave') {
    return { role: 'slave', primary: String(reply[1]), primaryPort: Number(reply[2]), state: String(reply[3]) };
  }
  return { role: 'other', reply };
}

/** The TIME a server reports, in milliseconds since the epoch. */
export async function serverTimeMs(address: string, port: number): Promise<number> {
  const reply = await ask(address, port, ['TIME']);
  if (!Array.isArray(reply) || reply.length !== 2) throw new Error(`TIME answered ${JSON.stringify(reply)}`);
  return Number(reply[0]) * 1_000 + Number(reply[1]) / 1_000;
}
