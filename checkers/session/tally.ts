/**
 * Counts per guarantee while checking: reads judged, reads undecided, and the
 * violations found (all counted; the first `limit` of each kept as evidence).
 */
import { GUARANTEES, type Guarantee, type SessionViolation } from './result.js';

export class Tally {
  readonly judged = zero();
  readonly undecided = zero();
  readonly violationCount = zero();
  readonly violations: Record<Guarantee, SessionViolation[]> = {
    'read-your-writes': [],
    'monotonic-reads': [],
    'monotonic-writes': [],
    'writes-follow-reads': [],
  };

  constructor(private readonly limit: number) {}

  /** A read judged for `guarantee` and found fine. */
  held(guarantee: Guarantee): void {
    this.judged[guarantee]++;
  }

  /** A read the guarantee applies to whose verdict cannot be decided. */
  undecidable(guarantee: Guarantee): void {
    this.undecided[guarantee]++;
  }

  /** A read that violates `guarantee`; `evidence` is called only while fewer than `limit` are kept. */
  violated(guarantee: Guarantee, evidence: () => SessionViolation): void {
    this.judged[guarantee]++;
    this.violationCount[guarantee]++;
    if (this.violations[guarantee].length < this.limit) this.violations[guarantee].push(evidence());
  }
}

function zero(): Record<Guarantee, number> {
  return Object.fromEntries(GUARANTEES.map((g) => [g, 0])) as Record<Guarantee, number>;
}
