import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:stress`: long runs under load that are not part of `npm test` (see README).
// Spread, not mergeConfig: that would append to the base's `include` and run every test too.
export default defineConfig({ ...base, test: { ...base.test, include: ["tests/integration/**/*.stress.ts"], testTimeout: 900_000 } });
