/**
 * `npm run bench [-- NAME...]`: runs the benchmarks and prints their figures.
 * Each benchmark is a file in this folder exporting `run(): Promise<void>`.
 * Speed and memory targets live here, never in timed unit tests.
 */
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  checker: () => import('./checker.js'),
  session: () => import('./session.js'),
  txn: () => import('./txn.js'),
  'history-read': () => import('./history-read.js'),
  harness: () => import('./harness.js'),
  runtime: () => import('./runtime.js'),
  'runtime-ssh': () => import('./runtime-ssh.js'),
  'runtime-docker': () => import('./runtime-docker.js'),
  nemesis: () => import('./nemesis.js'),
  delay: () => import('./delay.js'),
  etcd: () => import('./etcd.js'),
  postgres: () => import('./postgres.js'),
  galera: () => import('./galera.js'),
  report: () => import('./report.js'),
  startup: () => import('./startup.js'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(254);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`\n== ${name}`);
  const bench = await benches[name]!();
  await bench.run();
}
