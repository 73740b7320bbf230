// Check pool worker entry in development (plain JavaScript, so Node starts it
// anywhere: under vitest, tsx or bin/faultline.js): registers tsx in this
// thread, then runs the TypeScript worker. Compiled code starts worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
