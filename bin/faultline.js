#!/usr/bin/env node
import { dirname, join } from 'node:path';
// Entry point: runs the TypeScript source through tsx, so there is no build step to forget.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'harness', 'cli', 'main.ts')).href);
