/**
 * The whole schedule of a test, composed from the workload's and the nemesis
 * package's generators (like the `phases` at the heart of a Jepsen test):
 *
 * 1. main: client ops and nemesis ops side by side, for timeLimitSeconds;
 * 2. heal: once every thread is idle, the nemesis final generator (heals);
 * 3. recovery: nothing for recoverySeconds, so the system can settle;
 * 4. final: the workload's final client ops (e.g. final reads).
 *
 * Each phase starts only when every op of the one before has completed.
 * Each part may be a generator or anything the DSL accepts as one (GenLike).
 */

import { any } from '../generator/choice.js';
import { type GenLike, nothing, toGen } from '../generator/core.js';
import type { Generator } from '../generator/generator.js';
import { timeLimit } from '../generator/limits.js';
import { phases } from '../generator/phases.js';
import { clients, nemesis } from '../generator/threads.js';
import { sleep } from '../generator/timing.js';

export interface TestGeneratorOptions {
  /** Client ops of the main phase (routed to client threads only). */
  client: GenLike;
  /** Faults during the main phase (routed to the nemesis thread only). */
  nemesis?: GenLike;
  timeLimitSeconds: number;
  /** Heals after the main phase. */
  nemesisFinal?: GenLike;
  /** Quiet time after healing, before the final client ops. */
  recoverySeconds: number;
  /** Client ops after recovery. */
  clientFinal?: GenLike;
  /** Told when each phase begins (the live status line): a side effect only, the schedule is the same without it. */
  onPhase?: (phase: TestPhase) => void;
}

export type TestPhase = 'workload' | 'healing' | 'recovery' | 'final reads';

/** `g`, calling `enter` the first time the interpreter asks it for an op (the phase has begun). */
function entered(g: GenLike, enter: (() => void) | undefined): Generator {
  const inner = toGen(g);
  if (!enter) return inner;
  let told = false;
  return {
    op(ctx) {
      if (!told) {
        told = true;
        enter();
      }
      return inner.op(ctx);
    },
    update: (ctx, event) => inner.update(ctx, event),
  };
}

/** Throws a RangeError for a negative or non-finite time. */
export function testGenerator(options: TestGeneratorOptions): Generator {
  const main = options.nemesis ? any(clients(options.client), nemesis(options.nemesis)) : clients(options.client);
  const tell = (phase: TestPhase) => (options.onPhase ? () => options.onPhase!(phase) : undefined);
  return phases(
    entered(timeLimit(options.timeLimitSeconds, main), tell('workload')),
    entered(nemesis(options.nemesisFinal ?? nothing), tell('healing')),
    entered(sleep(options.recoverySeconds), tell('recovery')),
    entered(clients(options.clientFinal ?? nothing), tell('final reads')),
  );
}
