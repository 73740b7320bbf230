/**
 * A model of a sequential object, Porcupine-style: a record of pure functions.
 * The linearizability checker searches for an order of the history's ops in
 * which every `step` is legal.
 *
 * To add a model, write a factory returning a Model and register it with
 * `registerModel(name, factory)` (./registry.ts).
 */
import type { Json } from '../../harness/history/op.js';

/** What `step` returns when the op cannot happen in that state. */
export const ILLEGAL: unique symbol = Symbol('illegal step');
export type Illegal = typeof ILLEGAL;

/** The op as a model sees it (a PairedOp fits). */
export interface ModelOp {
  f: string;
  /** For ok ops the completion's value (what was read); for open ops the invocation's. */
  value: Json | undefined;
  /** ok: it happened and its value is known; info: it may have happened, its result is unknown. */
  outcome: 'ok' | 'info';
}

/** A primitive that identifies a state: two states are equal exactly when their keys are. */
export type StateKey = string | number | boolean | null;

export interface Model<S = unknown> {
  readonly name: string;
  /** The state before any op. */
  init(): S;
  /** The state after `op`, or ILLEGAL when `op` cannot happen in `state`. Pure: never mutates `state`. */
  step(state: S, op: ModelOp): S | Illegal;
  /** Why `step(state, op)` is ILLEGAL, in words: "register holds 2". Only called for evidence. */
  whyIllegal(state: S, op: ModelOp): string;
  /** Identity of a state for memoisation (equal states, equal keys). */
  stateKey(state: S): StateKey;
  /** The state as JSON, for evidence and reports. */
  stateJson(state: S): Json;
  /** The state in words: "register holds 2". */
  describeState(state: S): string;
  /** The op in words: "cas 1→2", "read 3". */
  describeOp(op: ModelOp): string;
  /**
   * Throws an Error with a message when the op's shape is not one this model
   * understands (the checker reports it as a malformed history). Optional.
   */
  validate?(op: ModelOp): void;
  /**
   * True when the op neither constrains nor changes the state (a read that
   * crashed, or an unconstrained nil read): the checker drops it. Optional.
   */
  isNoop?(op: ModelOp): boolean;
  /**
   * True when the op never changes the state: whenever its step is legal, it
   * returns the state unchanged (a read, a cas v→v). The search linearizes such
   * an op as soon as it is legal, without branching, which saves a lot of
   * work. Saying true for an op that can change the state makes the checker
   * wrong. Optional: by default no op is read-only.
   */
  isReadOnly?(op: ModelOp): boolean;
  /**
   * The independent key an op belongs to, for models checked key by key
   * (P-compositionality). Optional: by default ops are partitioned by
   * `op.key` when they carry one.
   */
  partition?(op: ModelOp & { key?: Json | undefined }): Json | undefined;
  /** The op as the per-key model should see it (e.g. the value without the key). Optional. */
  project?(op: ModelOp & { key?: Json | undefined }): ModelOp;
  /**
   * The ops of one key as steps between numbered states, when the model can
   * tell each state apart by the values the ops carry: the unique-value fast
   * path (checkers/linearizable/unique-values.ts) then decides the key in
   * polynomial time. Returns undefined when it cannot (the key is searched).
   * Optional: models without it are always searched. See StateSteps for what
   * a correct answer must promise.
   */
  stateSteps?(ops: readonly ModelOp[]): StateSteps | undefined;
}

/**
 * What an op does to the state, with states named by numbers: a read needs
 * `state` and keeps it; a write goes from any state to `to`; a cas needs
 * `from` and goes to `to`; an append goes from `from` to `to`, and from any
 * other state to one no op reads (a kv append whose token a get saw after
 * `from`). A model that answers promises: the state numbers name the states
 * (equal numbers, equal states, as far as any op can tell), and an op's step
 * in the model is legal exactly when this step is (a write and an append are
 * legal in every state the ops can reach).
 */
export type StateStep =
  | { readonly kind: 'read'; readonly state: number }
  | { readonly kind: 'write'; readonly to: number }
  | { readonly kind: 'cas' | 'append'; readonly from: number; readonly to: number };

export interface StateSteps {
  /** The number of the initial state. */
  initial: number;
  /** One step per op, in the order the ops were given. */
  steps: StateStep[];
}

export interface ModelOptions {
  /** The initial state (the CLI's `--initial JSON`). Each model documents its default. */
  initial?: Json | undefined;
  /**
   * Knossos semantics: an ok read whose value is null (nil) is unconstrained;
   * it matches any state. Jepsen histories rely on it; our own JSONL histories
   * record a real null, so the default is false. Applies to register,
   * cas-register and multi-register reads.
   */
  nilReadsAnyValue?: boolean | undefined;
}

/**
 * A model, typed by its state (an identity function: `S` is inferred from
 * `init`, and every other function is checked against it).
 */
export function defineModel<S>(model: Model<S>): Model<S> {
  return model;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds models of every state type
export type ModelFactory = (options: ModelOptions) => Model<any>;
