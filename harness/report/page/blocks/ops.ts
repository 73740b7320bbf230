/**
 * An `ops` block: the diagram of ops on process lanes, buttons to switch
 * between its paths (e.g. partial linearizations), and the selected path's
 * steps, the earlier ones folded away.
 */
import type { Block, DiagramPath } from '../../../../checkers/view.js';
import { COLORS } from '../colors.js';
import type { PageContext } from '../context.js';
import { button, el, swatch } from '../dom.js';
import { plural } from '../format.js';
import { DRAWN_STEPS, drawOps } from './ops-diagram.js';
import { stepList } from './steps.js';

type OpsBlock = Extract<Block, { type: 'ops' }>;

export function opsBlock(ctx: PageContext, b: OpsBlock): HTMLElement {
  const box = el('div');
  box.appendChild(
    el('p', 'muted', [
      swatch('#ffe3e3', COLORS.fail),
      'the op that went wrong',
      swatch('#d3f9d8', COLORS.ok),
      'last ok op that was fine',
      swatch('#e7f5ff', '#1971c2'),
      'ok op',
      swatch('#fff4e6', COLORS.info),
      'indeterminate (may or may not have happened)',
      ` · ${b.legend ? `${b.legend} · ` : ''}left to right: the order in which ops were invoked and returned (not to scale)`,
      ctx.data.faults.length ? ' · shaded: fault windows, named above the lanes and marked on the axis' : null,
    ]),
  );
  const diagram = el('div', 'diagram');
  box.appendChild(diagram);
  const pathButtons = el('div', 'paths');
  const stepsBox = el('div');
  if (b.paths.length) box.appendChild(pathButtons);
  box.appendChild(stepsBox);

  const select = (i: number): void => {
    Array.from(pathButtons.children).forEach((btn, j) => {
      btn.setAttribute('aria-pressed', String(j === i));
    });
    diagram.replaceChildren(drawOps(ctx, b.ops, b.paths[i]));
    const path = b.paths[i];
    stepsBox.replaceChildren(...(path ? [pathSteps(path)] : []));
  };
  b.paths.forEach((p, i) => {
    pathButtons.appendChild(button(p.label, () => select(i)));
  });
  select(0);
  return box;
}

/** The path's steps: the last DRAWN_STEPS listed, the ones before them in a fold. */
function pathSteps(path: DiagramPath): HTMLElement {
  const wrap = el('div');
  wrap.appendChild(el('p', path.steps.length ? 'muted' : null, path.caption));
  const steps = path.steps;
  const hidden = Math.max(0, steps.length - DRAWN_STEPS);
  if (hidden > 0 || path.omitted > 0) {
    const earlier = el(
      'details',
      null,
      el('summary', null, `${plural(path.omitted + hidden, 'earlier step')} (not drawn)`),
    );
    if (path.omitted > 0)
      earlier.appendChild(el('p', 'muted', `Steps 1–${path.omitted} are in the checker result below.`));
    earlier.appendChild(stepList(steps.slice(0, hidden), path.omitted + 1));
    wrap.appendChild(earlier);
  }
  const list = stepList(steps.slice(hidden), path.omitted + hidden + 1);
  if (path.end) list.appendChild(el('li', 'failed', path.end));
  wrap.appendChild(list);
  return wrap;
}
