/**
 * Jepsen's EDN histories: either one vector (or list) of op maps, as in
 * Knossos's data files and older Jepsen history.edn, or one op map per line,
 * as in newer Jepsen history.edn. `;` comments are allowed anywhere.
 *
 * Each op map is read with edn-data (see edn-value.ts for how values turn into
 * JSON): {:process 3, :type :invoke, :f :cas, :value [3 0]} becomes
 * {process: 3, type: "invoke", f: "cas", value: [3, 0]}; :process :nemesis
 * becomes "nemesis"; :time (ns), :key, :error and :node are kept.
 *
 * Values are taken as they are: a jepsen.independent tuple [k v] looks the
 * same as a cas value [old new], so it is not unwrapped into key and value.
 */
import { UserError } from '../errors.js';
import { EdnSyntaxError, type FormSpan, scanEdn } from './edn-forms.js';
import { ednMapToFields } from './edn-value.js';
import { OpFieldError, opFromFields, type ReadOps } from './op-fields.js';

/**
 * Parses EDN history text.
 * Returns the ops and the line where each op map starts; throws UserError
 * naming `path:line` for broken EDN, a form that is not an op map, or an op
 * with a bad or missing field.
 */
export function parseEdnHistory(text: string, path: string): ReadOps {
  const spans = opSpans(text, path);
  const result: ReadOps = { ops: [], lines: [], warnings: [] };
  for (const span of spans) {
    const where = `${path}:${span.line}`;
    const formText = text.slice(span.start, span.end);
    let fields: ReturnType<typeof ednMapToFields> | undefined;
    try {
      fields = span.kind === 'map' ? ednMapToFields(formText) : undefined;
    } catch (err) {
      throw new UserError(`cannot read this EDN: ${(err as Error).message}`, { where, cause: err });
    }
    if (!fields)
      throw new UserError(`expected an op map {:process .. :type .. :f ..}, found a ${span.kind}`, { where });
    try {
      result.ops.push(opFromFields(fields));
    } catch (err) {
      if (err instanceof OpFieldError) throw new UserError(err.message, { where, cause: err });
      throw err;
    }
    result.lines.push(span.line);
  }
  return result;
}

/** The op forms: the elements of a single top-level vector or list, or else every top-level form. */
function opSpans(text: string, path: string): FormSpan[] {
  let scan: ReturnType<typeof scanEdn>;
  try {
    scan = scanEdn(text);
  } catch (err) {
    if (err instanceof EdnSyntaxError) throw new UserError(err.message, { where: `${path}:${err.line}`, cause: err });
    throw err;
  }
  const first = scan.top[0];
  if (scan.top.length === 1 && first && (first.kind === 'vector' || first.kind === 'list')) {
    return scan.inner;
  }
  return scan.top;
}
