/**
 * For tests: xmllint's verdict on a JUnit document by the Jenkins JUnit
 * schema (jenkins-junit-4.xsd beside this file). Needs `xmllint`
 * (libxml2-utils): tests using it check `missing({ commands: ['xmllint'] })`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const XSD = join(import.meta.dirname, 'jenkins-junit-4.xsd');

/** '' when `xml` is valid by the schema, else xmllint's complaint. */
export async function junitSchemaErrors(xml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-junit-'));
  try {
    const file = join(dir, 'junit.xml');
    await writeFile(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    return r.status === 0 ? '' : r.stderr || `xmllint exited ${r.status}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
