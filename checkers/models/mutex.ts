/**
 * mutex: f "acquire" and "release" (values ignored). State: held or free.
 * Acquiring a held lock, or releasing a free one, is illegal.
 * Initial: options.initial (true = held), default false (free).
 */
import { ILLEGAL, type Model, type ModelOptions } from './model.js';

export function mutex(options: ModelOptions): Model<boolean> {
  const initial = options.initial === true;
  return {
    name: 'mutex',
    init: () => initial,
    step(held, op) {
      if (op.f === 'acquire') return held ? ILLEGAL : true;
      if (op.f === 'release') return held ? false : ILLEGAL;
      return ILLEGAL;
    },
    whyIllegal(held, op) {
      if (op.f === 'acquire' || op.f === 'release') return held ? 'the lock is already held' : 'the lock is not held';
      return `mutex has no operation ${op.f}`;
    },
    stateKey: (held) => held,
    stateJson: (held) => held,
    describeState: (held) => (held ? 'lock held' : 'lock free'),
    describeOp: (op) => op.f,
    validate(op) {
      if (op.f !== 'acquire' && op.f !== 'release') {
        throw new Error(`mutex model: unknown f ${JSON.stringify(op.f)} (known: acquire, release)`);
      }
    },
  };
}
