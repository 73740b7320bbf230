/**
 * What the nodes of the tests' clusters must have: every fault's tools and
 * the etcd target's packages, as a real etcd run asks for. The docker tests
 * all ask for the same, so they share one node image (a build takes ~40 s).
 */
import { faultPackages } from '../../nemesis/registry.js';
import { etcdTarget } from '../../targets/etcd/index.js';
import type { NodeNeeds } from '../runtime/runtime.js';

export const TEST_NODE_NEEDS: NodeNeeds = { packages: [...etcdTarget.packages, ...faultPackages()] };
