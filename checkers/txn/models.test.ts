import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/history/errors.js';
import { CYCLE_TYPES } from './cycle-types.js';
import { boundary, impliedAnomalies, impossibleModels, prohibitedAnomalies } from './models.js';
import { planCheck } from './plan.js';

describe('the consistency-model ladder', () => {
  it('strict serializability forbids every cycle and every non-cycle anomaly', () => {
    const forbidden = prohibitedAnomalies(['strict-serializable']);
    for (const t of [
      ...CYCLE_TYPES,
      'G1a',
      'G1b',
      'internal',
      'future-read',
      'dirty-update',
      'lost-update',
      'duplicate-elements',
      'incompatible-order',
      'cyclic-versions',
    ]) {
      expect(forbidden.has(t), t).toBe(true);
    }
  });

  it('weaker models forbid less: read committed allows write skew, serializable allows stale reads', () => {
    const rc = prohibitedAnomalies(['read-committed']);
    expect(['G0', 'G1a', 'G1b', 'G1c', 'dirty-update'].every((t) => rc.has(t))).toBe(true);
    expect(['G2-item', 'G-single-item', 'lost-update', 'G1c-realtime'].some((t) => rc.has(t))).toBe(false);
    const serializable = prohibitedAnomalies(['serializable']);
    expect(serializable.has('G2-item')).toBe(true);
    expect(serializable.has('G-single-item-realtime')).toBe(false);
    const si = prohibitedAnomalies(['snapshot-isolation']);
    expect(si.has('G-single-item')).toBe(true);
    expect(si.has('G2-item')).toBe(false);
    expect(prohibitedAnomalies(['strong-session-serializable']).has('G-single-item-process')).toBe(true);
    expect(prohibitedAnomalies([], ['G1c']).has('G0')).toBe(true); // asking for G1c also catches what implies it
  });

  it('implications run from specific to general', () => {
    expect([...impliedAnomalies(['G0'])]).toEqual(
      expect.arrayContaining(['G0', 'G1c', 'G1', 'G0-process', 'G0-realtime', 'G1c-realtime']),
    );
    expect(impliedAnomalies(['G-single-item']).has('G2-item')).toBe(true);
    expect(impliedAnomalies(['G2-item']).has('G-single-item')).toBe(false);
  });

  it('names the weakest models ruled out, and the rest, as Elle does', () => {
    expect(boundary(['G0']).not).toEqual(['read-uncommitted']);
    expect(boundary(['G1c']).not).toEqual(['read-committed']);
    expect(boundary(['G2-item']).not).toEqual(['repeatable-read']);
    expect(boundary(['G-single-item']).not).toEqual(['consistent-view', 'repeatable-read']);
    expect(boundary(['G-single-item-realtime'])).toEqual({
      not: ['strong-snapshot-isolation'],
      alsoNot: ['strict-serializable'],
    });
    expect(boundary(['internal']).not).toEqual(['read-atomic']);
    expect(boundary([])).toEqual({ not: [], alsoNot: [] });
    expect(impossibleModels(['lost-update']).has('PL-2.99')).toBe(true);
  });

  it('plans which orders the graph needs, and rejects unknown names naming the option', () => {
    expect(planCheck({})).toMatchObject({ models: ['strict-serializable'], realtime: true, process: false });
    expect(planCheck({ consistencyModels: ['serializable'] })).toMatchObject({ realtime: false, process: false });
    expect(planCheck({ consistencyModels: ['strong-session-snapshot-isolation'] })).toMatchObject({
      realtime: false,
      process: true,
    });
    expect(() => planCheck({ consistencyModels: ['serialisable'] })).toThrow(UserError);
    expect(() => planCheck({ consistencyModels: ['serialisable'] })).toThrow(/^--consistency-models: unknown/);
    expect(() => planCheck({ anomalies: ['G3'] })).toThrow(/^--anomalies: unknown anomaly type\(s\) G3/);
  });
});
