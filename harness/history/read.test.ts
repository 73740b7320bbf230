import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing } from '../testing/requirements.js';
import { KNOSSOS_DIR } from '../testing/shared-data.js';
import { UserError } from './errors.js';
import { type HistoryFormat, parseHistory, readHistoryFile } from './read.js';

const KNOSSOS = KNOSSOS_DIR;

/** The message of the UserError that parsing throws. */
function inputError(text: string, path: string, format: HistoryFormat = 'auto'): string {
  try {
    parseHistory(text, { path, format });
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('JSONL', () => {
  it('reads ops, skipping blank lines, and maps each op to its line', () => {
    const text = [
      '{"index":0,"time":1200,"type":"invoke","process":3,"f":"cas","key":"k1","value":[1,2]}',
      '',
      '{"index":1,"time":5400,"type":"ok","process":3,"f":"cas","key":"k1","value":[1,2],"node":"n2"}',
      '{"index":2,"time":6000,"type":"info","process":"nemesis","f":"start-partition","value":{"n1":["n2","n3"]}}',
      '',
    ].join('\n');
    const loaded = parseHistory(text, { path: 'h.jsonl' });
    expect(loaded.format).toBe('jsonl');
    expect(loaded.history).toEqual([
      { index: 0, time: 1200, type: 'invoke', process: 3, f: 'cas', key: 'k1', value: [1, 2] },
      { index: 1, time: 5400, type: 'ok', process: 3, f: 'cas', key: 'k1', value: [1, 2], node: 'n2' },
      { index: 2, time: 6000, type: 'info', process: 'nemesis', f: 'start-partition', value: { n1: ['n2', 'n3'] } },
    ]);
    expect([0, 1, 2].map((i) => loaded.lineOf(i))).toEqual([1, 3, 4]);
    expect(() => loaded.lineOf(3)).toThrow(RangeError);
  });

  it('keeps null as a value and leaves an absent value absent', () => {
    const loaded = parseHistory(
      '{"type":"ok","process":0,"f":"read","value":null}\n{"type":"invoke","process":1,"f":"read"}',
      {
        path: 'h.jsonl',
      },
    );
    expect(loaded.history[0]).toEqual({ index: 0, time: 0, type: 'ok', process: 0, f: 'read', value: null });
    expect(loaded.history[1]).not.toHaveProperty('value');
  });

  it('numbers ops by position and uses the position as time when no op has one', () => {
    const loaded = parseHistory(
      '{"index":7,"type":"invoke","process":0,"f":"read"}\n{"index":9,"type":"ok","process":0,"f":"read","value":1}',
      {
        path: 'h.jsonl',
      },
    );
    expect(loaded.history.map((op) => [op.index, op.time])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('names the file and line of a bad op', () => {
    const good = '{"type":"invoke","process":0,"f":"read"}';
    const lines = Array.from({ length: 16 }, () => good);
    lines.push('{"type":"okk","process":0,"f":"read"}');
    expect(inputError(lines.join('\n'), 'history.jsonl')).toBe(
      'history.jsonl:17: unknown type "okk" (expected invoke, ok, fail or info)',
    );
    expect(inputError(`${good}\n{"type":"ok","f":"read"}`, 'h.jsonl')).toBe('h.jsonl:2: missing field "process"');
    expect(inputError('{"type":"ok","process":0}', 'h.jsonl')).toBe('h.jsonl:1: missing field "f"');
    expect(inputError('{"process":0,"f":"x"}', 'h.jsonl')).toBe('h.jsonl:1: missing field "type"');
    expect(inputError('{"type":"ok","process":"p1","f":"x"}', 'h.jsonl')).toBe(
      'h.jsonl:1: process must be a whole number or "nemesis", got "p1"',
    );
    expect(inputError('{"type":"ok","process":1.5,"f":"x"}', 'h.jsonl')).toMatch(/^h.jsonl:1: process must be/);
    expect(inputError('{"type":"ok","process":1,"f":3}', 'h.jsonl')).toBe(
      'h.jsonl:1: f must be a non-empty string, got 3',
    );
    expect(inputError('{"type":"ok","process":1,"f":"x","time":"now"}', 'h.jsonl')).toBe(
      'h.jsonl:1: time must be a number, got "now"',
    );
    expect(inputError('{"type":"ok","process":1,"f":"x","index":[]}', 'h.jsonl')).toBe(
      'h.jsonl:1: index must be a number, got []',
    );
    expect(inputError('{"type":"ok","process":1,"f":"x","node":3}', 'h.jsonl')).toBe(
      'h.jsonl:1: node must be a string, got 3',
    );
    expect(inputError(`${good}\n[1,2]`, 'h.jsonl', 'jsonl')).toBe('h.jsonl:2: expected one op object per line');
  });

  it('reports bad JSON with its line', () => {
    const good = '{"type":"invoke","process":0,"f":"read"}';
    expect(inputError(`${good}\n{"type": invoke}\n${good}\n`, 'h.jsonl')).toMatch(/^h.jsonl:2: not valid JSON: /);
    // A bad last line that ends with a newline was written whole: still an error.
    expect(inputError(`${good}\n{"type":"ok","pro\n`, 'h.jsonl')).toMatch(/^h.jsonl:2: not valid JSON: /);
    // A cut-off line that is not the last one is an error too.
    expect(inputError(`${good}\n{"type":"ok","pro\n${good}`, 'h.jsonl')).toMatch(/^h.jsonl:2: not valid JSON: /);
  });

  it('drops a torn last line (no newline, not JSON) with a warning naming its line', () => {
    const good = '{"type":"invoke","process":0,"f":"read"}';
    const loaded = parseHistory(`${good}\n${good.replace('0', '1')}\n{"type":"ok","pro`, { path: 'h.jsonl' });
    expect(loaded.history.map((op) => op.process)).toEqual([0, 1]);
    expect(loaded.warnings).toEqual([
      'h.jsonl:3: dropped the last line: it is cut off (the writer was probably killed mid-write)',
    ]);
    expect(parseHistory(`${good}\n`, { path: 'h.jsonl' }).warnings).toEqual([]);
    // Not the start of an op object: not torn, so still an error.
    expect(inputError(`${good}\n[{"type"`, 'h.jsonl', 'jsonl')).toMatch(/^h.jsonl:2: not valid JSON: /);
    // Whole but invalid as an op: not torn, so still an error.
    expect(inputError(`${good}\n{"type":"ok"}`, 'h.jsonl')).toBe('h.jsonl:2: missing field "process"');
  });

  it('rejects a history where only some ops have a time, naming the first without', () => {
    const text = '{"type":"invoke","process":0,"f":"read","time":5}\n{"type":"ok","process":0,"f":"read","value":1}';
    expect(inputError(text, 'h.jsonl')).toBe(
      'h.jsonl:2: op has no time, but other ops in this file do (give every op a time, or none)',
    );
  });
});

describe('Jepsen EDN', () => {
  it('reads a vector of op maps: keywords to strings, nil to null, :nemesis to "nemesis"', () => {
    const text = [
      '; a comment line first',
      '[{:process 0, :type :invoke, :f :cas, :value [1 2] :time 10}',
      ' {:process 0, :type :ok, :f :cas, :value [1 2], :time 20}',
      ' {:process :nemesis, :type :info, :f :start, :value {"n1" #{"n2"}}, :time 30}',
      ' {:process 1, :type :invoke, :f :read, :value nil, :key :x, :time 40}',
      ' {:process 1, :type :fail, :f :read, :value nil, :key :x, :error [:timeout "slow"], :time 50, :debug {:a 1}}]',
    ].join('\n');
    const loaded = parseHistory(text, { path: 'h.edn' });
    expect(loaded.format).toBe('edn');
    expect(loaded.history).toEqual([
      { index: 0, time: 10, type: 'invoke', process: 0, f: 'cas', value: [1, 2] },
      { index: 1, time: 20, type: 'ok', process: 0, f: 'cas', value: [1, 2] },
      { index: 2, time: 30, type: 'info', process: 'nemesis', f: 'start', value: { n1: ['n2'] } },
      { index: 3, time: 40, type: 'invoke', process: 1, f: 'read', value: null, key: 'x' },
      { index: 4, time: 50, type: 'fail', process: 1, f: 'read', value: null, key: 'x', error: ['timeout', 'slow'] },
    ]);
    expect([0, 1, 2, 3, 4].map((i) => loaded.lineOf(i))).toEqual([2, 3, 4, 5, 6]);
  });

  it('reads one op map per line, and multi-line maps start where their brace is', () => {
    const text =
      '{:type :invoke, :f :txn, :value [[:read :x nil]], :process 3}\n{:type :ok,\n :f :txn,\n :value [[:read :x 0]],\n :process 3}\n';
    const loaded = parseHistory(text, { path: 'h.edn' });
    expect(loaded.history.map((op) => op.value)).toEqual([[['read', 'x', null]], [['read', 'x', 0]]]);
    expect([loaded.lineOf(0), loaded.lineOf(1)]).toEqual([1, 2]);
  });

  it('names the file and line of bad EDN and bad ops', () => {
    expect(inputError('[{:process 0 :type :invoke :f :read}\n {:process 0 :type :okk :f :read}]', 'h.edn')).toBe(
      'h.edn:2: unknown type "okk" (expected invoke, ok, fail or info)',
    );
    expect(inputError('[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f :read]', 'h.edn')).toBe(
      'h.edn:2: expected "}" to close the map opened on line 2, found "]"',
    );
    expect(inputError('[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f :read}', 'h.edn')).toBe(
      'h.edn:1: the vector opened here is never closed',
    );
    expect(inputError('[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f}]', 'h.edn')).toBe(
      'h.edn:2: map has a key without a value',
    );
    expect(inputError('[{:process 0 :type :invoke :f :read}\n [:not :a :map]]', 'h.edn')).toBe(
      'h.edn:2: expected an op map {:process .. :type .. :f ..}, found a vector',
    );
    expect(inputError('[{:process "x" :type :invoke :f :read}]', 'h.edn')).toBe(
      'h.edn:1: process must be a whole number or "nemesis", got "x"',
    );
    expect(inputError('[{:process 1 :type :invoke :f :read :value "bad \\q escape"}]', 'h.edn')).toMatch(
      /^h.edn:1: cannot read this EDN: /,
    );
  });
});

describe.skipIf(missing({ paths: [KNOSSOS] }))('the shipped Knossos histories', () => {
  it('reads every shipped Knossos history, with the op count its source shows', async () => {
    const manifest = JSON.parse(await readFile(join(KNOSSOS, 'MANIFEST.json'), 'utf8')) as {
      entries: { file: string }[];
    };
    expect(manifest.entries.length).toBeGreaterThan(100);
    for (const entry of manifest.entries) {
      const path = join(KNOSSOS, entry.file);
      const loaded = await readHistoryFile(path);
      expect(loaded.format, path).toBe('edn');
      // Every op map in these files holds exactly one :type, so counting them counts ops.
      const text = await readFile(path, 'utf8');
      expect(loaded.history.length, path).toBe(text.match(/:type\s/g)?.length ?? 0);
    }
  });

  it('reads the Knossos multi-register and mutex shapes', async () => {
    const multi = await readHistoryFile(join(KNOSSOS, 'multi-register/good/multi-register.edn'));
    expect(multi.history[0]).toMatchObject({ type: 'invoke', f: 'txn', process: 3, value: [['read', 'x', null]] });
    expect(multi.lineOf(0)).toBe(2); // line 1 is a comment
    const mutex = await readHistoryFile(join(KNOSSOS, 'mutex/bad/etcd.edn'));
    expect(mutex.history[1]).toEqual({
      index: 1,
      time: 342667129,
      type: 'fail',
      process: 1,
      f: 'release',
      error: 'not-held',
    });
  });
});

describe('Jepsen history.txt and logs', () => {
  it('reads history.txt lines: process, type, f, value as EDN, optional error', () => {
    const text =
      '3\t:invoke\t:cas\t[3 0]\n3\t:fail\t:cas\t[3 0]\t:mismatch\n:nemesis\t:info\t:start\tnil\n4\t:info\t:read\tnil\tindeterminate: timed out\n';
    const loaded = parseHistory(text, { path: 'history.txt' });
    expect(loaded.format).toBe('jepsen-log');
    expect(loaded.history).toEqual([
      { index: 0, time: 0, type: 'invoke', process: 3, f: 'cas', value: [3, 0] },
      { index: 1, time: 1, type: 'fail', process: 3, f: 'cas', value: [3, 0], error: 'mismatch' },
      { index: 2, time: 2, type: 'info', process: 'nemesis', f: 'start', value: null },
      { index: 3, time: 3, type: 'info', process: 4, f: 'read', value: null, error: 'indeterminate: timed out' },
    ]);
  });

  it('reads op lines out of a log and skips everything else', () => {
    const text = [
      'INFO  jepsen.core - Running test',
      'INFO  jepsen.util - 3\t:invoke\t:cas\t[3 0]',
      'WARN  jepsen.db - node n1 slow',
      '2017-03-08 10:47:11,330{GMT}\tINFO\t[jepsen worker 3] jepsen.util: 3\t:ok\t:cas\t[3 0]',
      'INFO  jepsen.util - :nemesis\t:info\t:start-partition\t{"n1" #{"n2" "n3"}}',
    ].join('\n');
    const loaded = parseHistory(text, { path: 'jepsen.log' });
    expect(loaded.format).toBe('jepsen-log');
    expect(loaded.history.map((op) => [op.process, op.type, op.f, op.value])).toEqual([
      [3, 'invoke', 'cas', [3, 0]],
      [3, 'ok', 'cas', [3, 0]],
      ['nemesis', 'info', 'start-partition', { n1: ['n2', 'n3'] }],
    ]);
    expect([0, 1, 2].map((i) => loaded.lineOf(i))).toEqual([2, 4, 5]);
  });

  it('reads op lines whose columns are separated by spaces, and logs that mix both kinds', () => {
    const text = [
      'INFO  jepsen.core - Running test 3 :ok nothing', // chatter: no op line (f is not a keyword)
      'INFO  jepsen.util - 3 :invoke :cas [3 0]',
      'INFO  jepsen.util - 3\t:ok\t:cas\t[3 0]',
      'INFO  jepsen.util - :nemesis :info :start {"n1" #{"n2" "n3"}}',
      '2017-03-08 10:47:11,330 INFO jepsen.util: 4 :info :write :timed-out',
      '5 :fail :cas [1 2] :mismatch',
      '6 :info :cas [1 2] indeterminate: "connection reset',
      '7\t:invoke :read nil',
      '7 :ok\t:read\t2',
    ].join('\n');
    const loaded = parseHistory(text, { path: 'etcd.log' });
    expect(loaded.format).toBe('jepsen-log');
    expect(loaded.history.map(({ process, type, f, value, error }) => [process, type, f, value, error])).toEqual([
      [3, 'invoke', 'cas', [3, 0], undefined],
      [3, 'ok', 'cas', [3, 0], undefined],
      ['nemesis', 'info', 'start', { n1: ['n2', 'n3'] }, undefined],
      [4, 'info', 'write', 'timed-out', undefined],
      [5, 'fail', 'cas', [1, 2], 'mismatch'],
      [6, 'info', 'cas', [1, 2], 'indeterminate: "connection reset'],
      [7, 'invoke', 'read', null, undefined],
      [7, 'ok', 'read', 2, undefined],
    ]);
    expect(loaded.history.map((_, i) => loaded.lineOf(i))).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('names the file and line of an op line it cannot read', () => {
    expect(inputError('3\t:invoke\t:read\tnil\n3\t:okk\t:read\t1\n', 'history.txt')).toBe(
      'history.txt:2: unknown type "okk" (expected invoke, ok, fail or info)',
    );
    expect(inputError('3\t:invoke\t:cas\t[3 0\n', 'history.txt')).toMatch(
      /^history.txt:1: cannot read the value column "\[3 0" as EDN: /,
    );
    expect(inputError('3\t:invoke\t:cas\t1 2\n', 'history.txt')).toBe(
      'history.txt:1: value column "1 2" is not one EDN value',
    );
    expect(inputError('3\t:invoke\t:cas\n', 'history.txt', 'jepsen-log')).toBe(
      'history.txt:1: expected process, type, f and value separated by tabs or spaces',
    );
    expect(inputError('3 :invoke :cas\n', 'history.txt', 'jepsen-log')).toBe(
      'history.txt:1: expected process, type, f and value separated by tabs or spaces',
    );
    expect(inputError('INFO  jepsen.util - 3 :invoke :cas [3 0\n', 'jepsen.log')).toMatch(
      /^jepsen.log:1: cannot read f and value in ":cas \[3 0" as EDN: /,
    );
    expect(inputError('nothing to see\n', 'jepsen.log', 'jepsen-log')).toMatch(/^jepsen.log: no Jepsen op lines found/);
  });
});

describe('format detection', () => {
  it('tells the formats apart by content, whatever the extension', () => {
    expect(parseHistory('{"type":"invoke","process":0,"f":"read"}\n', { path: 'x.edn' }).format).toBe('jsonl');
    expect(parseHistory('[{:type :invoke :process 0 :f :read}]', { path: 'x.jsonl' }).format).toBe('edn');
    expect(parseHistory(';; c\n\n{:type :invoke :process 0 :f :read}\n', { path: 'x.txt' }).format).toBe('edn');
    expect(parseHistory('0\t:invoke\t:read\tnil\n', { path: 'x.edn' }).format).toBe('jepsen-log');
    expect(parseHistory('[INFO] start\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n', { path: 'x.log' }).format).toBe(
      'jepsen-log',
    );
    expect(parseHistory('INFO  jepsen.util - 0 :invoke :read nil\n', { path: 'x.log' }).format).toBe('jepsen-log');
    expect(parseHistory('0 :invoke :read nil\n', { path: 'x.edn' }).format).toBe('jepsen-log');
    // EDN whose maps put a number before a type keyword: not an op line.
    expect(parseHistory('{:value 3 :type :invoke :process 0 :f :read}\n', { path: 'x' }).format).toBe('edn');
    expect(parseHistory('', { path: 'empty' })).toMatchObject({ format: 'jsonl', history: [] });
  });

  it('says so when it cannot tell', () => {
    expect(inputError('hello world\n', 'notes.txt')).toBe(
      'notes.txt: cannot tell the history format (not JSON Lines, a JSON array, Jepsen EDN or a Jepsen log); pass --format',
    );
  });

  it('obeys an explicit format', () => {
    expect(inputError('[{:type :invoke :process 0 :f :read}]', 'h', 'jsonl')).toMatch(/^h:1: not valid JSON/);
    expect(inputError('x', 'h', 'yaml' as HistoryFormat)).toMatch(/unknown history format "yaml"/);
  });
});

describe('readHistoryFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-read-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and keeps the path as given', async () => {
    const path = join(dir, 'h.jsonl');
    await writeFile(path, '\uFEFF{"type":"invoke","process":0,"f":"read"}\n');
    const loaded = await readHistoryFile(path);
    expect(loaded.path).toBe(path);
    expect(loaded.history).toHaveLength(1);
  });

  it('reads standard input for -, named stdin in messages, and refuses a terminal', async () => {
    const piped = Readable.from([Buffer.from('{"type":"invoke","process":0,"f":"read"}\n'), '{"type":"okk"}\n']);
    await expect(readHistoryFile('-', { stdin: piped })).rejects.toThrow(/^stdin:2: /);
    const loaded = await readHistoryFile('-', { stdin: Readable.from(['0\t:invoke\t:read\tnil\n']) });
    expect(loaded).toMatchObject({ path: 'stdin', format: 'jepsen-log', history: [{ process: 0, f: 'read' }] });
    const terminal = Object.assign(Readable.from([]), { isTTY: true });
    await expect(readHistoryFile('-', { stdin: terminal })).rejects.toThrow(
      '-: reads the history from standard input, which is a terminal: pipe a history into it',
    );
  });

  it('turns a missing file or a directory into a UserError naming it', async () => {
    await expect(readHistoryFile(join(dir, 'nope.jsonl'))).rejects.toThrow(
      new UserError('no such file', { where: join(dir, 'nope.jsonl') }),
    );
    await expect(readHistoryFile(dir)).rejects.toThrow(`${dir}: is a directory, not a history file`);
  });

  it('reads a 100,000-line JSONL file completely', async () => {
    const path = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      lines.push(JSON.stringify({ index: 2 * i, time: 10 * i, type: 'invoke', process: i % 5, f: 'write', value: i }));
      lines.push(
        JSON.stringify({ index: 2 * i + 1, time: 10 * i + 5, type: 'ok', process: i % 5, f: 'write', value: i }),
      );
    }
    await writeFile(path, `${lines.join('\n')}\n`);
    const loaded = await readHistoryFile(path);
    expect(loaded.history).toHaveLength(100_000);
    expect(loaded.history[99_999]).toEqual({
      index: 99_999,
      time: 499_995,
      type: 'ok',
      process: 4,
      f: 'write',
      value: 49_999,
    });
    expect(loaded.lineOf(99_999)).toBe(100_000);
  });
});
