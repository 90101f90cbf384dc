// What a job's failure means for its next step. Pure: it looks at the error's shape only,
// so it holds for errors from Shopify's library, fetch, the Admin client and Prisma alike.
import { errorMessages } from "~/errors";

/**
 * - transient: worth retrying on its own (HTTP 5xx or 429, Shopify's throttling, a network
 *   error, a busy database);
 * - gone: the shop cannot be reached any more (uninstalled: no session, 401/403); retrying
 *   cannot help, and nothing needs doing;
 * - permanent: a bug or bad data; retried only when a person asks, after seeing the reason.
 */
export type FailureKind = "transient" | "gone" | "permanent";

const TRANSIENT_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH",
  "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT",
  // Prisma: timed out, write conflict, too many connections, server closed the connection,
  // no connection free to start a transaction in time (a burst on several instances).
  "P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034",
  "SQLITE_BUSY", "SQLITE_LOCKED",
]);

/** The HTTP status an error carries: a thrown Response, or the library's HttpResponseError. */
export function httpStatusOf(error: unknown): number | null {
  if (error instanceof Response) return error.status;
  const e = error as { response?: { code?: unknown; status?: unknown }; status?: unknown; cause?: unknown; details?: unknown } | null;
  if (!e || typeof e !== "object") return null;
  for (const candidate of [e.response?.code, e.response?.status, e.status]) {
    if (typeof candidate === "number" && candidate >= 100 && candidate < 600) return candidate;
  }
  // The Admin client wraps the library's error in `details`; fetch puts causes in `cause`.
  for (const inner of [e.details, e.cause]) {
    if (inner && inner !== error) {
      const status = httpStatusOf(inner);
      if (status !== null) return status;
    }
  }
  return null;
}

function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 5) return [];
  const e = error as { code?: unknown; name?: unknown; cause?: unknown; details?: unknown };
  return [
    ...(typeof e.code === "string" ? [e.code] : []),
    ...(typeof e.name === "string" ? [e.name] : []),
    // Shopify's library names its errors by class only (SessionNotFoundError keeps name "Error").
    ...(error.constructor?.name ? [error.constructor.name] : []),
    ...codesOf(e.cause, depth + 1),
    ...(e.details instanceof Error ? codesOf(e.details, depth + 1) : []),
  ];
}

export function classifyFailure(error: unknown): FailureKind {
  const codes = codesOf(error);
  if (codes.includes("SessionNotFoundError") || codes.includes("ShopNotInstalled")) return "gone";
  const status = httpStatusOf(error);
  if (status !== null) {
    if (status === 401 || status === 403 || status === 404 && codes.includes("ShopNotFound")) return "gone";
    if (status >= 500 || status === 429 || status === 408) return "transient";
    // A GraphQL error (throttling among them) comes with HTTP 200: its body says what it is.
    if (status >= 400) return "permanent";
  }
  if (codes.some((code) => TRANSIENT_CODES.has(code))) return "transient";
  const text = errorMessages(error).join(" ");
  if (/THROTTLED|fetch failed|socket hang up|database is locked|SQLITE_BUSY|timed out|Unable to start a transaction in the given time/i.test(text)) return "transient";
  return "permanent";
}

/** One line for the admin and the log: the messages of the error and its causes. */
export function failureMessage(error: unknown): string {
  if (error instanceof Response) return `HTTP ${error.status} ${error.statusText}`.trim();
  const status = httpStatusOf(error);
  const text = errorMessages(error).join(": ");
  return (text || (status ? `HTTP ${status}` : "Unknown error")).slice(0, 1000);
}
