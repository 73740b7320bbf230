import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { CleanupStack } from './cleanup.js';

describe('CleanupStack', () => {
  it('runs steps last-in first-out, once, and keeps going past a failing step', async () => {
    const done: string[] = [];
    const stack = new CleanupStack(silentLogger);
    stack.push('a', async () => void done.push('a'));
    stack.push('b', async () => {
      throw new Error('boom');
    });
    stack.push('c', async () => void done.push('c'));
    await Promise.all([stack.run(), stack.run()]);
    await stack.run();
    expect(done).toEqual(['c', 'a']);
  });
});
