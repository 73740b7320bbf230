import { run } from './bench/harness.js';
await run();
