import { UserError } from '../../errors.js';
import type { FaultlineCommand } from '../command.js';

// Placeholder while the command is being built (see the open issues).
export const healCommand: FaultlineCommand = () => ({
  command: 'heal',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('`faultline heal` is not built yet');
  },
});
