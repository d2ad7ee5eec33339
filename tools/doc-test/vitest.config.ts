import { defineConfig } from 'vitest/config';

// A runnable snippet starts a program through tsx on a shared machine: a generous liveness bound.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 60_000 },
});
