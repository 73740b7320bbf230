import { getTarget, targetNames } from '../../targets/index.js';
import type { AnyTarget } from '../../targets/target.js';
import { isPlugin, loadPlugin, registerViews } from './common.js';
import { checkShape, exportOf } from './shapes.js';

/**
 * The target `spec` names: a built-in (etcd, process), or the target a
 * module or package exports. Throws UserError naming --target when there is
 * none or it lacks something.
 */
export async function resolveTarget(spec: string, baseDir?: string): Promise<AnyTarget> {
  if (!isPlugin(spec, targetNames())) return getTarget(spec);
  const loaded = await loadPlugin(spec, 'target', '--target', () => getTarget(spec), baseDir);
  const target = checkShape<AnyTarget>(exportOf(loaded, 'target', '--target'), 'target', loaded.file, '--target');
  await registerViews(loaded, '--target');
  return target;
}
