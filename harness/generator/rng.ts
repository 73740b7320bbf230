/** The generators' random numbers: see harness/history/random.ts (shared with the checkers). */
export { mulberry32, type Rng, seededRng } from '../history/random.js';
