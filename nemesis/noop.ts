/** A nemesis that does nothing, and its package (no faults, nothing to heal). */
import { nothing } from '../harness/generator/index.js';
import type { Nemesis, NemesisPackage } from './nemesis.js';

export const noopNemesis: Nemesis = {
  name: 'noop',
  fs: [],
  async setup() {},
  async invoke(_ctx, op) {
    return { value: null, error: `the noop nemesis does not handle ${op.f}` };
  },
  async heal() {},
  async teardown() {},
};

export const noopPackage: NemesisPackage = {
  name: 'noop',
  nemesis: noopNemesis,
  generator: nothing,
  finalGenerator: nothing,
  windows: [],
};
