import { getWorkload, workloadNames } from '../../workloads/index.js';
import type { Workload } from '../../workloads/workload.js';
import { isPlugin, loadPlugin, registerViews } from './common.js';
import { checkShape, exportOf } from './shapes.js';

/**
 * The workload `spec` names: a built-in (register, ...), or the workload a
 * module or package exports. Throws UserError naming --workload.
 */
export async function resolveWorkload(spec: string, baseDir?: string): Promise<Workload> {
  if (!isPlugin(spec, workloadNames())) return getWorkload(spec);
  const loaded = await loadPlugin(spec, 'workload', '--workload', () => getWorkload(spec), baseDir);
  const workload = checkShape<Workload>(
    exportOf(loaded, 'workload', '--workload'),
    'workload',
    loaded.file,
    '--workload',
  );
  await registerViews(loaded, '--workload');
  return workload;
}
