/**
 * Strongly connected components (Tarjan's algorithm, iterative so that a
 * million-node graph does not overflow the stack). Every cycle of a graph
 * lies inside one component, so cycle search only ever looks inside them.
 */
import type { Graph } from './graph.js';

/**
 * The components of `graph` that have at least two nodes (no graph here
 * has self-edges, so a single node is never on a cycle), using only edges
 * whose kind is in `mask`. Each component lists its nodes in ascending order.
 */
export function stronglyConnected(graph: Graph, mask: number): number[][] {
  const n = graph.nodeCount;
  const { offsets, targets, kinds } = graph;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  // The DFS call stack: a node and the position of its next out-edge.
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let depth = 0;
  let counter = 0;
  const components: number[][] = [];

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    callNode[0] = root;
    callEdge[0] = offsets[root]!;
    depth = 1;
    while (depth > 0) {
      const v = callNode[depth - 1]!;
      let e = callEdge[depth - 1]!;
      const end = offsets[v + 1]!;
      let descended = false;
      while (e < end) {
        if (((mask >> kinds[e]!) & 1) === 0) {
          e++;
          continue;
        }
        const w = targets[e]!;
        e++;
        if (index[w] === -1) {
          callEdge[depth - 1] = e;
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          callNode[depth] = w;
          callEdge[depth] = offsets[w]!;
          depth++;
          descended = true;
          break;
        }
        if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
      }
      if (descended) continue;
      // v is finished: pop it, close its component if it is a root, pass its low up.
      depth--;
      if (low[v] === index[v]) {
        let size = 0;
        while (stack[stackTop - 1 - size] !== v) size++;
        size++;
        if (size === 1) {
          onStack[v] = 0;
          stackTop--;
        } else {
          const component = Array.from(stack.subarray(stackTop - size, stackTop)).sort((a, b) => a - b);
          for (const w of component) onStack[w] = 0;
          stackTop -= size;
          components.push(component);
        }
      }
      if (depth > 0) {
        const parent = callNode[depth - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return components;
}
