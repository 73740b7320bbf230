import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{harness,checkers,workloads,nemesis,targets,examples}/**/*.test.ts', '*.test.ts'],
    // Cluster tests share one host's namespaces and firewall: run files one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: ['default', './harness/testing/summary-reporter.ts'],
  },
});
