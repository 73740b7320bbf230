import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWithin, safeRelativePath } from './paths.js';

describe('safeRelativePath', () => {
  it('decodes ordinary paths', () => {
    expect(safeRelativePath('/register/2026/report.html?x=1')).toBe('register/2026/report.html');
    expect(safeRelativePath('/a%20b/c')).toBe('a b/c');
    expect(safeRelativePath('/')).toBe('');
  });
  it('refuses .., encoded separators, backslashes, NUL and malformed escapes', () => {
    for (const bad of [
      '/../etc/passwd',
      '/a/../../b',
      '/%2e%2e/x',
      '/%2E%2E%2Fetc',
      '/a%2f..%2f..%2fb',
      '/a%5c..%5cb',
      '/a%00b',
      '/%E0%A4%A',
      'relative',
      '//etc/passwd/..',
    ]) {
      expect(safeRelativePath(bad), bad).toBeUndefined();
    }
  });
  it('never yields a path that leaves the root', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('..', '.', '%2e%2e', '%2e', 'a', 'b%2f..', '', '%5c..', 'c'), { maxLength: 8 }),
        (segments) => {
          const rel = safeRelativePath(`/${segments.join('/')}`);
          if (rel !== undefined) expect(isWithin('/srv/root', `/srv/root/${rel}`)).toBe(true);
          if (rel !== undefined) expect(rel.split('/')).not.toContain('..');
        },
      ),
    );
  });
});

describe('isWithin', () => {
  it('accepts the root and its children only', () => {
    expect(isWithin('/srv/root', '/srv/root')).toBe(true);
    expect(isWithin('/srv/root', '/srv/root/a/b')).toBe(true);
    expect(isWithin('/srv/root', '/srv/rootx')).toBe(false);
    expect(isWithin('/srv/root', '/srv')).toBe(false);
  });
});
