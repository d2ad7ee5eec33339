import { defineConfig } from 'vitest/config';

// Server processes start through tsx on a shared machine: generous liveness bounds, no speed asserted.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
