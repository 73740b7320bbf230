import { UserError } from '../../errors.js';
import type { FaultlineCommand } from '../command.js';

// Placeholder while the command is being built (see the open issues).
export const serveCommand: FaultlineCommand = () => ({
  command: 'serve',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('`faultline serve` is not built yet');
  },
});
