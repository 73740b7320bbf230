/**
 * Debian's chromium driven by playwright-core, for the report's browser tests
 * and benchmark. A fresh user-data dir per launch, removed on close.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and removes its user-data dir. Safe to call twice. */
  close(): Promise<void>;
}

/** Launches chromium with a fresh profile. */
export async function launchChromium(viewport = { width: 1300, height: 900 }): Promise<Chromium> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'faultline-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new Error(`cannot launch ${CHROMIUM_PATH}`, { cause: err });
  }
  let closed = false;
  return {
    context,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
