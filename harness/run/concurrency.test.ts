import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { isPerNodeConcurrency, resolveConcurrency } from './concurrency.js';

describe('--concurrency Kn', () => {
  it('is a multiple of the node count', () => {
    expect(resolveConcurrency('3n', 5, '--concurrency')).toBe(15);
    expect(resolveConcurrency(' 2N ', 3, '--concurrency')).toBe(6);
    expect(resolveConcurrency('1n', 7, '--concurrency')).toBe(7);
  });

  it('leaves anything else for the config schema to judge', () => {
    expect(resolveConcurrency(10, 5, '--concurrency')).toBe(10);
    expect(resolveConcurrency('10', 5, '--concurrency')).toBe('10');
    expect(resolveConcurrency('n', 5, '--concurrency')).toBe('n');
    expect(resolveConcurrency('3x', 5, '--concurrency')).toBe('3x');
    expect(isPerNodeConcurrency('3n')).toBe(true);
    expect(isPerNodeConcurrency('3.5n')).toBe(false);
    expect(isPerNodeConcurrency(3)).toBe(false);
  });

  it('refuses 0n, naming where it came from', () => {
    expect(() => resolveConcurrency('0n', 5, '--concurrency')).toThrow(UserError);
    expect(() => resolveConcurrency('0n', 5, '--concurrency')).toThrow(/^--concurrency: expected a positive multiple/);
  });
});
