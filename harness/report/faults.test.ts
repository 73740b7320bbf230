import { describe, expect, it } from 'vitest';
import { pageFaults } from './faults.js';

describe('pageFaults', () => {
  it('names the nodes a fault touched and converts times to µs', () => {
    const [f] = pageFaults(
      [{ fault: 'partition', start: 2000, end: 9000, detail: { n1: ['n2', 'n3'] } }],
      ['n1', 'n2', 'n3', 'n4'],
    );
    expect(f).toEqual({
      fault: 'partition',
      startUs: 2,
      endUs: 9,
      nodes: ['n1', 'n2', 'n3'],
      detail: '{"n1":["n2","n3"]}',
      text: null,
    });
    const [worded] = pageFaults([{ fault: 'pause', start: 0, detail: { paused: { n3: [7] } }, text: 'paused n3' }], []);
    expect(worded?.text).toBe('paused n3');
  });
});
