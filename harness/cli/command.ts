import type { CommandModule } from 'yargs';

/**
 * A command module factory: the handler reports its exit code through `setExit`
 * (0 valid, 1 invalid, 2 unknown, 254 bad input; see harness/errors.ts).
 * Throw UserError for bad arguments, config or input.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FaultlineCommand = (setExit: (code: number) => void) => CommandModule<any, any>;
