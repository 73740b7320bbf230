import { UserError } from '../../errors.js';
import type { FaultlineCommand } from '../command.js';

// Placeholder while the command is being built (see the open issues).
export const checkCommand: FaultlineCommand = () => ({
  command: 'check',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('`faultline check` is not built yet');
  },
});
