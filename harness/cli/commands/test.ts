import { UserError } from '../../errors.js';
import type { FaultlineCommand } from '../command.js';

// Placeholder while the command is being built (see the open issues).
export const testCommand: FaultlineCommand = () => ({
  command: 'test',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('`faultline test` is not built yet');
  },
});
