// `npm run devshop`: starts the local Shopify stand-in from the environment.
import path from "node:path";
import { startDevshop } from "./server.ts";
import { SECOND_SHOP } from "./seed-second.ts";

const devshop = await startDevshop({
  port: Number(process.env.DEVSHOP_PORT ?? 8180),
  dataDir: path.resolve(process.env.DEVSHOP_DATA ?? "data/devshop"),
  shop: process.env.DEVSHOP_SHOP ?? "uplift-demo.myshopify.com",
  otherShops: (process.env.DEVSHOP_OTHER_SHOPS ?? SECOND_SHOP).split(",").filter(Boolean),
  apiKey: process.env.SHOPIFY_API_KEY ?? "uplift-dev-key",
  apiSecret: process.env.SHOPIFY_API_SECRET ?? "uplift-dev-secret",
  appUrl: process.env.SHOPIFY_APP_URL ?? "http://localhost:8170",
});
console.log(`devshop: ${devshop.shops.join(", ")} at ${devshop.url}`);
const stop = async () => {
  await devshop.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
