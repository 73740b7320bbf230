/** A `steps` block: a numbered list, each step's detail highlighted after its text. */
import type { Block } from '../../../../checkers/view.js';
import { el } from '../dom.js';

type StepsBlock = Extract<Block, { type: 'steps' }>;

export interface Step {
  text: string;
  detail?: string | undefined;
}

/** One list item: "text  →  detail". */
export function stepItem(step: Step): HTMLLIElement {
  return el(
    'li',
    null,
    step.detail === undefined ? step.text : [`${step.text}  →  `, el('span', 'state', step.detail)],
  );
}

/** An <ol class="steps"> numbered from `first`. */
export function stepList(steps: readonly Step[], first: number): HTMLOListElement {
  const list = el('ol', 'steps');
  list.setAttribute('start', String(first));
  for (const st of steps) list.appendChild(stepItem(st));
  return list;
}

export function stepsBlock(b: StepsBlock): HTMLElement {
  const wrap = el('div');
  if (b.caption) wrap.appendChild(el('p', 'muted', b.caption));
  wrap.appendChild(stepList(b.steps, (b.omitted ?? 0) + 1));
  return wrap;
}
