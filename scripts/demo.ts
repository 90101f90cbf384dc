// `npm run demo`: migrate, seed the stand-in shop, start it and the app, print the URLs.
// Ctrl-C stops everything. State lives in ./data, so a second run is fast.
import path from "node:path";
import { redactedDatabaseUrl } from "../app/db.config.ts";
import { ROOT, startStack } from "./stack.ts";

const dev = process.argv.includes("--dev");
const started = performance.now();
console.log("Uplift demo: starting the local Shopify stand-in and the app...");

const stack = await startStack({
  dataDir: process.env.UPLIFT_DATA ?? path.join(ROOT, "data"),
  // DATABASE_URL chooses the app's database as it does for the app itself; unset, a SQLite
  // file in the data folder.
  databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
  appPort: Number(process.env.PORT ?? 8170),
  devshopPort: Number(process.env.DEVSHOP_PORT ?? 8180),
  mode: dev ? "dev" : "build",
});

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
Uplift is running (ready in ${seconds} s).

  Admin (embedded, as Shopify opens it):  ${stack.adminUrl}
  Storefront:                             ${stack.storefrontUrl}
  App:                                    ${stack.appUrl}
  Database:                               ${redactedDatabaseUrl(stack.databaseUrl)}

Press Ctrl-C to stop.
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping...");
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
