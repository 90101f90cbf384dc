// The storefront's scripts are written readable in storefront/src/ and shipped minified in the
// theme app extension's assets (extensions/storefront/assets/), which Shopify serves as they
// are: every byte there is a byte each shopper downloads (budget: 6 KB gzipped in all).
// `npm run build` runs this; tests/unit/storefront-extension.test.ts checks the committed
// assets are the sources' build.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import { ROOT } from "./stack.ts";

export const STOREFRONT_SRC = path.join(ROOT, "storefront", "src");
export const STOREFRONT_ASSETS = path.join(ROOT, "extensions", "storefront", "assets");

/** Each source script and its minified build, by file name. */
export function buildStorefrontScripts(): Map<string, string> {
  const built = new Map<string, string>();
  for (const file of readdirSync(STOREFRONT_SRC).filter((f) => f.endsWith(".js")).sort()) {
    const source = readFileSync(path.join(STOREFRONT_SRC, file), "utf8");
    const { code } = transformSync(source, { minify: true, target: "es2020", legalComments: "none" });
    // No banner: a line naming the source costs each shopper some 50 gzipped bytes per file.
    built.set(file, code);
  }
  return built;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, code] of buildStorefrontScripts()) writeFileSync(path.join(STOREFRONT_ASSETS, file), code);
}
