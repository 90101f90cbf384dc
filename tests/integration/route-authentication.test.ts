import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, outcome, SHOP, startHarness, webhookRequest, type Harness } from "./support/harness";

// Shopify's UNAUTHENTICATED_ENDPOINT check, by behaviour: every loader and action of every
// route file, called as an outsider would call it (no session token, a forged one, an
// unsigned webhook), answers without reaching shop data. A new route that forgets its
// `authenticate.*` call fails here. (docs/SECURITY.md)
let harness: Harness;
const ROUTES = path.resolve(__dirname, "../../app/routes");

/** Routes that read no shop data at all, and why they need no authentication. */
const PUBLIC: Record<string, string> = {
  "_index.tsx": "the app's bare URL: a fixed sentence, or a redirect to /app with the same query",
};

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const routeFiles = readdirSync(ROUTES).filter((f) => f.endsWith(".tsx"));
const params = { id: "any", kind: "bundle", "*": "login" };

async function handlers() {
  const found: { file: string; name: "loader" | "action"; run: (request: Request) => Promise<Response> }[] = [];
  for (const file of routeFiles) {
    const module = (await import(`~/routes/${file.replace(/\.tsx$/, "")}`)) as Record<string, unknown>;
    for (const name of ["loader", "action"] as const) {
      const handler = module[name] as ((args: { request: Request; params: object; context: object }) => Promise<unknown>) | undefined;
      if (handler) found.push({ file, name, run: (request) => outcome(() => handler({ request, params, context: {} })) });
    }
  }
  return found;
}

const requestFor = (file: string, name: "loader" | "action", headers: Record<string, string> = {}) => {
  const url = `http://localhost:8170/${file.replace(/\.tsx$/, "").replace(/\./g, "/")}?shop=${SHOP}`;
  return name === "loader"
    ? new Request(url, { headers: { "User-Agent": BROWSER_UA, ...headers } })
    : new Request(url, { method: "POST", headers: { "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: "intent=delete&ids=x" });
};

/** Refused, or sent to log in: never shop data (2xx) and never a crash (5xx). */
const refused = (status: number) => status >= 300 && status < 500;

describe("every route authenticates before it reads shop data", () => {
  it("finds the routes", async () => {
    expect((await handlers()).length).toBeGreaterThanOrEqual(20);
  });

  it("turns away a request without a session token", async () => {
    for (const { file, name, run } of await handlers()) {
      if (PUBLIC[file]) continue;
      const request = file.startsWith("webhooks.") ? webhookRequest(`/${file}`, "products/update", { id: 1 }, { secret: null }) : requestFor(file, name);
      const response = await run(request);
      expect(refused(response.status), `${file} ${name}: ${response.status}`).toBe(true);
    }
  });

  it("turns away a session token signed with another secret, and a webhook signed with one", async () => {
    const forged = await harness.sessionToken({ apiSecret: "not-the-app-secret" });
    for (const { file, name, run } of await handlers()) {
      if (PUBLIC[file]) continue;
      const request = file.startsWith("webhooks.")
        ? webhookRequest(`/${file}`, "products/update", { id: 1 }, { secret: "not-the-app-secret" })
        : requestFor(file, name, { Authorization: `Bearer ${forged}` });
      const response = await run(request);
      expect(refused(response.status), `${file} ${name}: ${response.status}`).toBe(true);
    }
  });

  it("lets the public routes show nothing of a shop and redirect only within the app", async () => {
    const { loader } = await import("~/routes/_index");
    const response = await outcome(() => loader({ request: new Request(`http://localhost:8170/?shop=${SHOP}&host=x&next=https://evil.example`), params: {}, context: {} }));
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("Location")!, "http://localhost:8170").origin).toBe("http://localhost:8170");
    expect(Object.keys(PUBLIC)).toEqual(["_index.tsx"]);
  });
});
