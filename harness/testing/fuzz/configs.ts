/**
 * Configs and `faultline test` flags for the fuzz suite: valid seeds (YAML
 * and JSON, every runtime), structural mutations a YAML file can carry
 * (self-referencing aliases, alias bombs, deep nesting, reserved keys, tags,
 * odd numbers), and hostile flag values. Clusters are named hst* on
 * 10.242.0.0/16: nothing here is ever brought up, but a name must never be
 * another suite's.
 */
import fc from 'fast-check';

export interface ConfigSeed {
  /** The file name: .yaml or .json decides how it is read. */
  file: string;
  text: string;
}

export const CONFIG_SEEDS: readonly ConfigSeed[] = [
  {
    file: 'faultline.config.yaml',
    text: [
      'runtime:',
      '  kind: netns',
      '  netns: { name: hstf, nodes: 3, subnet: 10.242.9.0/24, baseDir: /tmp/hst-fuzz, stateDir: /tmp/hst-fuzz-state }',
      'test:',
      '  target: etcd',
      '  workload: register',
      '  nemesis: [partition, kill]',
      '  concurrency: 5',
      '  timeLimitSeconds: 10',
      '  seed: 42',
      '  rate: 0',
      '  nemesisIntervalSeconds: 2',
      '  targetOptions:',
      '    readMode: serializable',
      '    clientPort: 2379',
      '  nemesisOptions:',
      '    partition: { shapes: [halves, ring] }',
      '    kill: { nodes: [one] }',
      '',
    ].join('\n'),
  },
  {
    file: 'faultline.config.yaml',
    text: [
      'runtime:',
      '  kind: ssh',
      '  ssh:',
      '    user: admin',
      '    privateKeyFile: /tmp/hst-fuzz-key',
      '    nodes: [db1.example, { host: db2.example, port: 2222, name: second }]',
      'test:',
      '  workload: cas-register',
      '  nemesis: []',
      '',
    ].join('\n'),
  },
  {
    file: 'faultline.config.json',
    text: `${JSON.stringify(
      {
        runtime: { kind: 'docker', docker: { name: 'hstg', nodes: 2, subnet: '10.242.10.0/24' } },
        test: { target: 'etcd', workload: 'set', seed: 7, workloadOptions: { keys: 2 } },
      },
      null,
      2,
    )}\n`,
  },
];

/** A change to a config's text that YAML (or JSON) may still read. */
export type ConfigEdit =
  | { kind: 'append'; text: string }
  | { kind: 'replace-number'; nth: number; text: string }
  | { kind: 'insert-line'; at: number; text: string };

const yamlTroubles = [
  'test: &t\n  name: x\n  targetOptions: *t\n',
  'x: &x [*x]\n',
  'runtime:\n  netns: &n\n    name: hst1\n    extra: *n\n',
  ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]'].join('\n'),
  'test: *undefined\n',
  `test:\n  targetOptions: ${'['.repeat(40)}${']'.repeat(40)}\n`,
  `test:\n  targetOptions: ${'['.repeat(6000)}${']'.repeat(6000)}\n`,
  `test:\n  workloadOptions: ${'{a: '.repeat(50)}1${'}'.repeat(50)}\n`,
  'test:\n  __proto__: { seed: 1 }\n',
  'test:\n  nemesisOptions:\n    __proto__: { x: 1 }\n',
  'test:\n  targetOptions:\n    constructor: 1\n',
  'test:\n  workloadOptions:\n    prototype: 1\n',
  'test: !!set { a, b }\n',
  'test:\n  targetOptions: { t: !!timestamp 2001-12-14 }\n',
  'test: !!binary aGVsbG8=\n',
  '? [a, b]\n: c\n',
  '---\na: 1\n---\nb: 2\n',
  'test:\n  seed: .inf\n',
  'test:\n  seed: 9007199254740993\n',
  'test:\n  timeLimitSeconds: 1e400\n',
  'test:\n  name: "\u001b[2J\u001b]0;x\u0007"\n',
  'runtime:\n  netns:\n    baseDir: /proc/hst/x\n',
  'runtime:\n  netns:\n    nodes: [abc]\n    name: ../x\n',
];

const numbers = ['1e400', '-1e400', '9007199254740993', '-0', '0x10', '1.5', '.nan', '-.inf', '1_000', '0b101', '"5"'];

export const configEdit: fc.Arbitrary<ConfigEdit> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom(...yamlTroubles) }),
  fc.record({
    kind: fc.constant('replace-number' as const),
    nth: fc.nat({ max: 10 }),
    text: fc.constantFrom(...numbers),
  }),
  fc.record({
    kind: fc.constant('insert-line' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.constantFrom('  __proto__: 1', '    constructor: 2', '&a', '*a', '  - x', '\t', '  ? x', '%TAG ! !x'),
  }),
);

/** The text with the edit applied. */
export function applyConfigEdit(text: string, edit: ConfigEdit): string {
  if (edit.kind === 'append') return `${text}${text.endsWith('\n') ? '' : '\n'}${edit.text}`;
  if (edit.kind === 'replace-number') {
    let seen = -1;
    return text.replace(/\b\d+\b/g, (n) => {
      seen += 1;
      return seen === edit.nth ? edit.text : n;
    });
  }
  const lines = text.split('\n');
  lines.splice(Math.floor(edit.at * lines.length), 0, edit.text);
  return lines.join('\n');
}

/** Values a user (or a script gone wrong) may type for any flag. */
export const HOSTILE_FLAG_VALUES: readonly string[] = [
  '',
  ' ',
  'abc',
  '0',
  '-1',
  '1',
  '3',
  '1.5',
  '1e400',
  '-1e400',
  '9007199254740993',
  '-9007199254740993',
  '9007199254740991',
  'NaN',
  'Infinity',
  '0x10',
  '1e3',
  '../x',
  'a/b',
  '/proc/hst/x',
  '\u001b[2J',
  '__proto__',
  'constructor',
  'x'.repeat(300),
  '10.242.11.0/24',
  '999.1.1.1/8',
  '10.242.11.1/24',
  'none',
  'partition,kill',
  ',,,',
  'nope',
  'n1,n2',
  'hst-fuzz',
];

/** The flags of `faultline test` as its handler receives them (camelCase), hostile values for some. */
export const testFlags: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    nodes: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    seed: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    concurrency: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    timeLimit: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    rate: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    nemesisInterval: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    cluster: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    subnet: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    name: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    target: fc.constantFrom('etcd', ...HOSTILE_FLAG_VALUES),
    workload: fc.constantFrom('register', 'set', ...HOSTILE_FLAG_VALUES),
    nemesis: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    runtime: fc.constantFrom('netns', 'docker', 'ssh', ...HOSTILE_FLAG_VALUES),
    resultsDir: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    opTimeout: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    recoveryTime: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    checkTimeout: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    sshUser: fc.constantFrom(...HOSTILE_FLAG_VALUES),
    readMode: fc.constantFrom('linearizable', ...HOSTILE_FLAG_VALUES),
    clientPort: fc.constantFrom(...HOSTILE_FLAG_VALUES),
  },
  { requiredKeys: [] },
);
