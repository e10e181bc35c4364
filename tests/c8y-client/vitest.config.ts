import { defineConfig } from "vitest/config";

// Runs from the repo root as `npx vitest run --root tests/c8y-client` (scripts/test.mjs) or here as `npm test`.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
