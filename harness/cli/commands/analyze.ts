import { UserError } from '../../errors.js';
import type { FaultlineCommand } from '../command.js';

// Placeholder while the command is being built (see the open issues).
export const analyzeCommand: FaultlineCommand = () => ({
  command: 'analyze',
  describe: '(not built yet)',
  handler: () => {
    throw new UserError('`faultline analyze` is not built yet');
  },
});
