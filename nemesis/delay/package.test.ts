import { describe, expect, it } from 'vitest';
import { simulate } from '../../harness/generator/index.js';
import { nemesisPackage } from '../registry.js';
import { echoTarget } from '../testing/echo-target.js';
import { validateDelayPackageOptions } from './package.js';

const delayPackage = (o: { intervalSeconds: number; delay: unknown }) => nemesisPackage(['delay'], o);

const SECOND = 1e9;

describe('the delay package', () => {
  it('--nemesis delay: start-delay and stop-delay alternate on the nemesis, picking a node spec each time', () => {
    const pkg = nemesisPackage(['delay'], { intervalSeconds: 10 }, { nodeCount: 5, target: echoTarget() });
    const sim = simulate(pkg.generator, { concurrency: 2, nemesis: true, seed: 4, maxTimeNs: 600 * SECOND });
    const ops = sim.invocations.filter((o) => o.process === 'nemesis');
    expect(ops.length).toBeGreaterThan(30);
    ops.forEach((op, i) => {
      expect(op.f).toBe(i % 2 === 0 ? 'start-delay' : 'stop-delay');
    });
    const specs = new Set(ops.filter((o) => o.f === 'start-delay').map((o) => (o.value as { nodes: string }).nodes));
    expect([...specs].sort()).toEqual(['all', 'minority', 'one']);
    expect(pkg.windows).toMatchObject([{ start: 'start-delay', stop: 'stop-delay', label: 'delay' }]);
    const final = simulate(pkg.finalGenerator, { concurrency: 1, nemesis: true });
    expect(final.invocations.map((o) => o.f)).toEqual(['stop-delay']);
  });

  it('takes its options from test.nemesisOptions.delay, naming a bad one', () => {
    expect(validateDelayPackageOptions({ delayMs: 5, nodes: ['n1,n2', 'all'] }, 'w')).toMatchObject({
      delayMs: 5,
      jitterMs: 10,
      nodes: [{ nodes: ['n1', 'n2'] }, 'all'],
    });
    expect(() => nemesisPackage(['delay'], { intervalSeconds: 1, delay: { delayMs: -5 } } as never)).toThrow(
      /^test\.nemesisOptions\.delay\.delayMs: expected milliseconds/,
    );
    expect(() => delayPackage({ intervalSeconds: 1, delay: { nodes: [] } })).toThrow(
      /^test\.nemesisOptions\.delay\.nodes: expected a non-empty list/,
    );
    expect(() => delayPackage({ intervalSeconds: 1, delay: { nodes: [3] } as never })).toThrow(
      /^test\.nemesisOptions\.delay\.nodes\[0\]: expected a node spec string/,
    );
  });
});
