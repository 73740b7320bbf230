import { fileURLToPath } from 'node:url';

/**
 * The shared data folder sits beside the repository (../shared), in CI too;
 * tests read it from there and never copy it into the repo.
 */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const KNOSSOS_DIR = fileURLToPath(new URL('../../../shared/histories/knossos/', import.meta.url));
