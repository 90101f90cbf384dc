import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";

// The cheap, static halves of Shopify's app security checks (docs/SECURITY.md): each test is
// named for the check it keeps met, and fails when the code drifts from it.
const ROOT = path.resolve(__dirname, "../..");

function filesUnder(dir: string, extensions = [".ts", ".tsx", ".js", ".jsx", ".liquid"]): string[] {
  const absolute = path.join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(absolute);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) return [];
    const relative = path.join(dir, name);
    return statSync(path.join(ROOT, relative)).isDirectory() ? filesUnder(relative, extensions) : extensions.some((e) => name.endsWith(e)) ? [relative] : [];
  });
}

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
/** Every occurrence of `pattern` in the files, as "file: match". */
const findings = (files: string[], pattern: RegExp) =>
  files.flatMap((file) => [...read(file).matchAll(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`))].map((m) => `${file}: ${m[0]}`));

const appFiles = filesUnder("app");
const shippedFiles = [...appFiles, ...filesUnder("extensions")];

describe("COMMITTED_SECRET", () => {
  const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);

  it("tracks no environment or secrets file", () => {
    const secretFiles = tracked.filter((f) => /(^|\/)(\.env(\.(?!example$)[^/]+)?|secrets\.json|credentials\.json|[^/]+\.pem)$/.test(f));
    expect(secretFiles).toEqual([]);
  });

  it("commits no Shopify token, client secret or private key", () => {
    // Shopify's token formats (shpat_ Admin, shpss_ shared secret, shpca_/shppa_/shprt_ others)
    // with their 32 hex digits; the stand-in's dev-only "uplift-dev-secret" is not one.
    const pattern = /\b(shp(at|ss|ca|pa|ua|rt)_[0-9a-fA-F]{32})\b|-----BEGIN [A-Z ]*PRIVATE KEY-----/;
    const text = tracked.filter((f) => !/\.(png|jpg|svg|gz|ico|woff2?|sqlite)$/.test(f) && f !== "package-lock.json");
    expect(findings(text.filter((f) => statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.isFile()), pattern)).toEqual([]);
  });

  it("reads the app's secret from the environment", () => {
    expect(read("app/shopify.server.ts")).toMatch(/apiSecretKey: required\("SHOPIFY_API_SECRET"\)/);
  });
});

describe("SCOPE_OVER_REQUEST", () => {
  const toml = parseToml(read("shopify.app.toml")) as { access_scopes: { scopes: string }; app_proxy?: unknown };
  const declared = toml.access_scopes.scopes.split(",").map((s) => s.trim());
  // The Admin documents, and the app's configuration for what it declares there (the proxy).
  const documents = [...filesUnder("app/shopify").filter((f) => f.endsWith(".queries.ts")).map(read), toml.app_proxy ? "[app_proxy]" : ""].join("\n");
  // What in the app's Admin documents needs each scope (shopify.dev, "Access scopes").
  const usedBy: Record<string, RegExp> = {
    read_products: /\bproducts\s*\(|\bcollections\s*\(/,
    // Offers are written to app-owned metafields on products; bundles get parent products.
    write_products: /\bmetafieldsSet\b|\bproductCreate\b/,
    read_orders: /\borders\b/,
    // The backfill reads the whole order history, past Shopify's 60-day window.
    read_all_orders: /bulkOperationRunQuery|\borders\s*\{/,
    read_customers: /\bcustomer\s*\{/,
    // The catalog mirror prices variants in each market's currency.
    read_markets: /\bmarkets\s*\(/,
    // The storefront's app proxy (issue 9), configured in shopify.app.toml.
    write_app_proxy: /\[app_proxy\]/,
    // The web pixel (issue 9): Shopify asks for both scopes to create or update an app's pixel.
    write_pixels: /\bwebPixel(Create|Update)\b/,
    read_customer_events: /\bwebPixel(Create|Update)\b/,
    // The checkout's Functions (issue 10): the automatic app discount and the cart transform.
    write_discounts: /\bdiscountAutomaticAppCreate\b/,
    write_cart_transforms: /\bcartTransformCreate\b/,
  };
  // Declared ahead of the feature that uses them, with the issue that builds it: each must
  // leave this list when its feature lands, or leave shopify.app.toml (docs/SECURITY.md).
  const ahead: Record<string, number> = {};

  it("uses every declared scope in a document in app/shopify/, or names the issue that will", () => {
    const unused = declared.filter((scope) => !(usedBy[scope]?.test(documents)) && !(scope in ahead));
    expect(unused).toEqual([]);
  });

  it("declares every scope the documents need", () => {
    const needed = Object.entries(usedBy).filter(([, pattern]) => pattern.test(documents)).map(([scope]) => scope);
    expect(needed.filter((s) => !declared.includes(s))).toEqual([]);
  });

  it("keeps the list of scopes declared ahead honest", () => {
    expect(Object.keys(ahead).filter((s) => !declared.includes(s) || usedBy[s]?.test(documents))).toEqual([]);
  });
});

describe("REQUEST_DERIVED_SHOP_SCOPE and CREDENTIAL_BROWSER_LEAKAGE", () => {
  it("never takes the shop from the request: it comes from the verified session or webhook", () => {
    const code = appFiles.filter((f) => f !== "app/routes/_index.tsx");
    expect(findings(code, /(searchParams|formData\(\)|form|params)\.get\(\s*["']shop["']\s*\)|params\.shop\b/)).toEqual([]);
  });

  it("asks for a shop's Admin client without a request in one place, which no route uses", () => {
    // Jobs call shopAdmin(shop) with the shop of a job that verified code enqueued.
    const calls = /^(?!\s*(?:\/\/|\*)).*\bunauthenticated\.admin\(/m; // code, not comments
    expect(findings(appFiles, calls).map((f) => f.split(":")[0])).toEqual(["app/shopify/shop-admin.server.ts"]);
    expect(findings(appFiles.filter((f) => f.startsWith("app/routes/")), /shop-admin\.server|unauthenticated/)).toEqual([]);
  });

  it("sends no credential to the browser: routes and components never touch tokens or the secret", () => {
    const browserFacing = appFiles.filter((f) => f.startsWith("app/routes/") || f.startsWith("app/components/") || f === "app/root.tsx");
    expect(findings(browserFacing, /accessToken|refreshToken|SHOPIFY_API_SECRET|apiSecretKey/)).toEqual([]);
  });
});

describe("UNSAFE_INNERHTML and TEXT_SETTING_HTML_SMUGGLING", () => {
  it("renders no value as HTML in the admin or the extensions", () => {
    expect(findings(shippedFiles, /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML|insertAdjacentHTML|\beval\(|new Function\(/)).toEqual([]);
  });
});

describe("SQL_INJECTION", () => {
  it("sends raw SQL only as Prisma's tagged templates, or as a constant string", () => {
    // $queryRaw`...` binds every ${value} as a parameter; the Unsafe forms would not.
    expect(findings(appFiles, /\$(queryRaw|executeRaw)\s*\(|\$(queryRaw|executeRaw)Unsafe\s*\(\s*[^'"\s]/)).toEqual([]);
  });
});

describe("OPEN_REDIRECT and SSRF_REQUEST_FORGERY", () => {
  it("redirects only to paths of the app", () => {
    const targets = findings(appFiles, /\bredirect\(\s*[^)]{0,3}/).map((f) => f.replace(/^.*redirect\(\s*/, ""));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((t) => /^[`'"]\//.test(t) && !/^[`'"]\/\//.test(t)), targets.join(", ")).toBe(true);
  });

  it("fetches only URLs that Shopify's API answered with, never one from a request", () => {
    // The order backfill downloads the bulk operation's result file: its URL comes from the
    // Admin API's answer to the app, not from anything a caller sent.
    // A fetch of one of the app's own paths ("/app/…") is the admin's browser asking the app.
    expect(findings(appFiles, /(?<![\w.])fetch\((?!\s*[`'"]\/(?!\/))/).map((f) => f.split(":")[0])).toEqual(["app/orders/backfill.server.ts"]);
  });
});
