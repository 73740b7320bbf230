/**
 * The kv model's ops as steps between numbered states (Model.stateSteps), for
 * keys whose values are unique: every put writes a string no other put
 * writes, and every append adds a non-empty token no other append adds.
 *
 * A get then tells exactly which ops made the string it read: the string
 * splits (in exactly one way, or we give up) into a base (a put's value, or
 * the initial value) and the tokens appended since, in order. So a state is a
 * base followed by a sequence of tokens, numbered as a path in a trie, and:
 *
 * - put p: a write of the state "p";
 * - an append whose token some get saw: an append step from the state before
 *   the token (the same in every get that saw it) to the state after;
 * - an append no get saw: a write of a state nobody reads (after it, no get
 *   may read that chain again until a put);
 * - get v: a read of v's state, or of a state no op makes when v cannot be
 *   split into a base and tokens.
 *
 * Returns undefined (the key is searched instead) when a put value is not a
 * string or repeats (or is the initial value), a token repeats, the initial
 * value is neither null nor a string, or a get's string splits in more than
 * one way. A get whose string no history can make (a token twice, or after a
 * different state than an earlier get saw it after) reads a state no op makes.
 */
import type { Json } from '../../harness/history/op.js';
import type { ModelOp, StateStep, StateSteps } from './model.js';

/**
 * Words (put values or tokens) by their text, and the distinct lengths they
 * come in, so that finding the words at a position of a string is a lookup
 * per length (a handful: tokens are made by one format). Empty words are
 * kept apart by the caller.
 */
class Words {
  private readonly byText = new Map<string, number>();
  /** Distinct lengths, ascending. */
  lengths: number[] = [];

  /** Adds `word` as word number `index`. Returns false when the word was there already. */
  add(word: string, index: number): boolean {
    if (this.byText.has(word)) return false;
    this.byText.set(word, index);
    if (!this.lengths.includes(word.length)) this.lengths = [...this.lengths, word.length].sort((a, b) => a - b);
    return true;
  }

  /** The number of the word `text.slice(from, to)`, or -1. */
  at(text: string, from: number, to: number): number {
    return this.byText.get(from === 0 && to === text.length ? text : text.slice(from, to)) ?? -1;
  }
}

/** How a get's string splits: a base and tokens, or no way, or several ways. */
type Split = { base: number; tokens: number[] } | 'none' | 'ambiguous';

/** The bases and tokens a get's string may be made of. */
interface Vocabulary {
  bases: Words;
  /** Bases whose value is "" (they are not among `bases`). */
  emptyBases: number[];
  /** A base of length 0 that needs at least one token after it (the absent key, when appended to), or -1. */
  absentBase: number;
  tokens: Words;
  tokenLengths: number[];
}

/** Splits `text` into one of the bases followed by tokens. Counts the ways up to 2. */
function split(text: string, words: Vocabulary): Split {
  const { bases, emptyBases, absentBase, tokens, tokenLengths } = words;
  const n = text.length;
  const ways = new Uint8Array(n + 1);
  /** How the one way to reach each position got there: a token (>= 0) or a base (-2 - base). */
  const via = new Int32Array(n + 1);
  // (Plain loops, no callbacks: this runs for every character of every get.)
  for (const length of bases.lengths) {
    if (length > n) break;
    const base = bases.at(text, 0, length);
    if (base === -1) continue;
    if (ways[length] === 0) via[length] = -2 - base;
    ways[length] = Math.min(2, ways[length]! + 1);
  }
  const zeroLength = [...emptyBases, ...(absentBase !== -1 && n > 0 ? [absentBase] : [])];
  for (const base of zeroLength) {
    if (ways[0] === 0) via[0] = -2 - base;
    ways[0] = Math.min(2, ways[0]! + 1);
  }
  for (let at = 0; at < n; at++) {
    const w = ways[at]!;
    if (w === 0) continue;
    for (const length of tokens.lengths) {
      const end = at + length;
      if (end > n) break;
      const token = tokens.at(text, at, end);
      if (token === -1) continue;
      if (ways[end] === 0) via[end] = token;
      ways[end] = Math.min(2, ways[end]! + w);
    }
  }
  if (ways[n] === 0) return 'none';
  if (ways[n]! > 1) return 'ambiguous';
  const found: number[] = [];
  let at = n;
  for (;;) {
    const how = via[at]!;
    if (how <= -2) return { base: -2 - how, tokens: found.reverse() };
    found.push(how);
    at -= tokenLengths[how]!;
  }
}

export function kvStateSteps(ops: readonly ModelOp[], initial: Json): StateSteps | undefined {
  if (initial !== null && typeof initial !== 'string') return undefined;
  // Bases: 0 is the initial value, then each put's value. Tokens: each append's value.
  const words: Vocabulary = {
    bases: new Words(),
    emptyBases: [],
    absentBase: -1,
    tokens: new Words(),
    tokenLengths: [],
  };
  const { bases, tokens, tokenLengths } = words;
  const seenPuts = new Set<string>();
  const addBase = (value: string, base: number): boolean => {
    if (seenPuts.has(value)) return false;
    seenPuts.add(value);
    if (value === '') words.emptyBases.push(base);
    else bases.add(value, base);
    return true;
  };
  const tokenOf = new Int32Array(ops.length).fill(-1);
  const baseOf = new Int32Array(ops.length).fill(-1);
  let baseCount = 1;
  if (typeof initial === 'string') addBase(initial, 0);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.f === 'put') {
      if (typeof op.value !== 'string' || !addBase(op.value, baseCount)) return undefined;
      baseOf[i] = baseCount++;
    } else if (op.f === 'append') {
      if (typeof op.value !== 'string' || op.value === '' || !tokens.add(op.value, tokenLengths.length))
        return undefined;
      tokenOf[i] = tokenLengths.length;
      tokenLengths.push(op.value.length);
    }
  }
  // With an initial null, appending to the absent key starts from "": base 0 has length 0.
  if (initial === null) words.absentBase = 0;

  // States: base b is state b; a state followed by a token is a child in a trie of token paths.
  let stateCount = baseCount;
  const children = new Map<number, number>();
  const childOf = (state: number, token: number): number => {
    const key = state * tokenLengths.length + token;
    let child = children.get(key);
    if (child === undefined) {
      child = stateCount++;
      children.set(key, child);
    }
    return child;
  };
  /** For each token some get saw: the state before it and after it. */
  const before = new Int32Array(tokenLengths.length).fill(-1);
  const after = new Int32Array(tokenLengths.length).fill(-1);
  const readState = new Map<string, number>();
  /** seenIn[token] === stamp: the token came up already in the split being followed. */
  const seenIn = new Int32Array(tokenLengths.length);
  let stamp = 0;
  /**
   * The state a split names, recording what came before and after each of its
   * tokens. Undefined, recording nothing, when no history can produce it: a
   * token twice, or a token that an earlier get saw after a different state
   * (one append happens once: the two gets cannot both be right).
   */
  const follow = (parts: { base: number; tokens: number[] }): number | undefined => {
    stamp++;
    let state = parts.base;
    for (const token of parts.tokens) {
      if ((before[token] !== -1 && before[token] !== state) || seenIn[token] === stamp) return undefined;
      seenIn[token] = stamp;
      state = childOf(state, token);
    }
    state = parts.base;
    for (const token of parts.tokens) {
      before[token] = state;
      state = childOf(state, token);
      after[token] = state;
    }
    return state;
  };
  const stateOfGet = (value: Json | undefined): number | undefined => {
    if (value === null || value === undefined) return initial === null ? 0 : stateCount++;
    if (typeof value !== 'string') return stateCount++; // nothing writes it
    const known = readState.get(value);
    if (known !== undefined) return known;
    const parts = split(value, words);
    if (parts === 'ambiguous') return undefined;
    const state = parts === 'none' ? stateCount++ : (follow(parts) ?? stateCount++);
    readState.set(value, state);
    return state;
  };
  const reads = new Int32Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    if (ops[i]!.f !== 'get') continue;
    const state = stateOfGet(ops[i]!.value);
    if (state === undefined) return undefined;
    reads[i] = state;
  }
  const steps = ops.map((op, i): StateStep => {
    if (op.f === 'put') return { kind: 'write', to: baseOf[i]! };
    if (op.f === 'get') return { kind: 'read', state: reads[i]! };
    const token = tokenOf[i]!;
    if (before[token] === -1) return { kind: 'write', to: stateCount++ }; // no get saw it
    return { kind: 'append', from: before[token]!, to: after[token]! };
  });
  return { initial: 0, steps };
}
