import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/", "node_modules/", ".tools/", "data/", "test-results/", "playwright-report/", "extensions/*/dist/", "extensions/*/generated/", "extensions/storefront/assets/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The pure cores: data in, decision out. No framework, database or network, so they are
    // tested as plain functions and can run anywhere (a Function, a worker, a test).
    files: ["app/offers/**/*.{ts,tsx}", "app/recommend/**/*.{ts,tsx}", "app/insights/**/*.{ts,tsx}", "app/deals/schedule.ts", "app/jobs/backoff.ts", "app/jobs/failures.ts", "app/webhooks/payloads.ts"],
    ignores: ["**/*.server.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["@remix-run/*", "react-router", "react-router/*"], message: "A pure core does not depend on Remix: put this in a *.server.ts shell." },
          { group: ["@prisma/*", "pg", "@libsql/*", "~/db.server", "**/db.server"], message: "A pure core does not touch the database: put this in a *.server.ts shell." },
          { group: ["**/*.server", "**/*.server.ts"], message: "A pure core does not import a shell." },
          { group: ["@shopify/shopify-app-remix", "@shopify/shopify-app-remix/*", "@shopify/shopify-api", "@shopify/shopify-api/*", "undici", "node:http", "node:https", "node:net", "http", "https", "net"], message: "A pure core does not use the network: put this in a *.server.ts shell." },
        ],
      }],
      "no-restricted-globals": ["error", { name: "fetch", message: "A pure core does not use the network: put this in a *.server.ts shell." }],
    },
  },
  {
    files: ["tests/devshop/assets/**/*.js", "storefront/src/**/*.js", "tests/devshop/storefront/standard-actions.js"],
    languageOptions: { globals: globals.browser, sourceType: "script" },
  },
);
