// Worker thread entry (plain JavaScript, so Node can start it anywhere: under
// vitest, tsx or `node bin/faultline.js`): registers tsx in this thread, then
// runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
