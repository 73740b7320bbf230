import { UserError } from '../../errors.js';
import type { FaultlineCommand } from '../command.js';

// Placeholder while the command is being built (see the open issues).
export const cleanCommand: FaultlineCommand = () => ({
  command: 'clean',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('`faultline clean` is not built yet');
  },
});
