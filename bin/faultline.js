#!/usr/bin/env node
// The faultline command. In a checkout (the TypeScript sources are beside this
// file) it runs the sources through tsx: no build step to forget, and a stale
// build never hides an edit. The installed package has no sources: it runs
// the compiled JavaScript in dist/, and loads tsx only for a user's TypeScript
// plugin (harness/plugins/).
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const sources = new URL('../harness/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const tsx = await import('tsx/esm/api');
  tsx.register();
  globalThis[Symbol.for('faultline.tsx-registered')] = true; // harness/plugins/load.ts need not register it again
  // A plugin's `import ... from 'faultline'` gets these same sources, not a build of them (see the file).
  register('./source-hooks.mjs', import.meta.url);
  await import(sources.href);
} else {
  await import('../dist/harness/cli/main.js');
}
