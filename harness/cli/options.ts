import { UserError } from '../errors.js';

/**
 * A positive number option scaled to ms or bytes (e.g. seconds * 1000), or
 * undefined when not given. Throws UserError naming the option.
 */
export function positiveOption(
  text: string | undefined,
  name: string,
  unit: string,
  scale: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (String(text).trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UserError(`must be a positive number of ${unit}, got ${JSON.stringify(text)}`, { where: name });
  }
  return value * scale;
}

/** A cluster name as --cluster / --name take it: it names folders, so no "/" and no leading "." (no "../"). */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
