// Module hooks for a checkout's CLI (bin/faultline.js runs the sources): a
// plugin that imports 'faultline' (examples/plugin-target/, a user's project
// linked with `file:`) gets the very modules the CLI runs, from the sources,
// not the compiled package in dist/ (which may be stale, or missing). One copy
// means one model registry, one UserError class, one set of views.
const INDEX = new URL('../index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'faultline') return nextResolve(INDEX, context);
  return nextResolve(specifier, context);
}
