import type { CommandModule } from 'yargs';

/**
 * A command module factory: the handler reports its exit code through `setExit`
 * (0 valid, 1 invalid, 2 unknown, 254 bad input; see harness/errors.ts).
 * Throw UserError for bad arguments, config or input.
 */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument shape
export type FaultlineCommand = (setExit: (code: number) => void) => CommandModule<any, any>;
