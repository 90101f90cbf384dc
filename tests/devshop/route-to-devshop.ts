// Loaded with `node --import ./tests/devshop/route-to-devshop.ts`: when DEVSHOP_URL is set,
// requests for https://<shop>.myshopify.com go to the local stand-in instead, the way
// pointing DNS at it would. The app's code is the same as against a real shop.
import { Agent, setGlobalDispatcher, type Dispatcher } from "undici";

export function installDevshopRouting(devshopUrl: string): void {
  const target = new URL(devshopUrl).origin;
  const agent = new Agent().compose((dispatch) => (opts, handler) => {
    const origin = typeof opts.origin === "string" ? opts.origin : opts.origin?.toString();
    if (origin && /^https:\/\/[a-z0-9-]+\.myshopify\.com$/i.test(origin.replace(/\/$/, ""))) {
      const host = new URL(origin).host;
      const headers = { ...(headersToObject(opts.headers)), "x-forwarded-host": host };
      return dispatch({ ...opts, origin: target, headers }, handler);
    }
    return dispatch(opts, handler);
  });
  setGlobalDispatcher(agent);
}

function headersToObject(headers: Dispatcher.DispatchOptions["headers"]): Record<string, string> {
  if (!headers) return {};
  if (Array.isArray(headers)) {
    const out: Record<string, string> = {};
    for (let i = 0; i < headers.length; i += 2) out[String(headers[i])] = String(headers[i + 1]);
    return out;
  }
  if (Symbol.iterator in headers) return Object.fromEntries(headers as Iterable<[string, string]>);
  return { ...(headers as Record<string, string>) };
}

if (process.env.DEVSHOP_URL) installDevshopRouting(process.env.DEVSHOP_URL);
