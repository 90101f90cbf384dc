import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:stress`: long runs under load that are not part of `npm test` (see README).
export default mergeConfig(base, defineConfig({ test: { include: ["tests/integration/**/*.stress.ts"], testTimeout: 900_000 } }));
