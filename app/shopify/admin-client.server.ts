import { errorMessages } from "~/errors";

// The one way app code talks to the Admin API: the library's `admin.graphql`, plus what it
// does not do for us: waiting out Shopify's cost-based throttling (a THROTTLED error comes
// back as HTTP 200) and turning errors and userErrors into typed exceptions.

/** What authenticate.admin, unauthenticated.admin and authenticate.webhook hand us. */
export interface AdminGraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(message: string, readonly details?: unknown) {
    super(message);
  }
}

interface ThrottleStatus { maximumAvailable: number; currentlyAvailable: number; restoreRate: number }

export interface QueryOptions {
  maxThrottleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Finds Shopify's THROTTLED signal and cost figures wherever the library put them. */
export function throttleInfo(error: unknown): { requested: number; status: ThrottleStatus | null } | null {
  let text: string;
  try {
    const body = (error as { body?: unknown; response?: unknown })?.body ?? error;
    text = JSON.stringify(body);
  } catch {
    return null;
  }
  if (!text?.includes("THROTTLED")) return null;
  const requested = Number(/"requestedQueryCost":(\d+(?:\.\d+)?)/.exec(text)?.[1] ?? 0);
  const status = /"throttleStatus":(\{[^}]*\})/.exec(text)?.[1];
  return { requested, status: status ? (JSON.parse(status) as ThrottleStatus) : null };
}

/** How long to wait until the bucket holds what the query asked for. */
export function throttleDelayMs(info: { requested: number; status: ThrottleStatus | null }, attempt: number): number {
  if (!info.status || info.status.restoreRate <= 0) return Math.min(1000 * 2 ** attempt, 10_000);
  const missing = Math.max(0, info.requested - info.status.currentlyAvailable);
  return Math.ceil((missing / info.status.restoreRate) * 1000) + 50;
}

export async function adminQuery<T>(
  admin: AdminGraphqlClient,
  query: string,
  variables: Record<string, unknown> = {},
  options: QueryOptions = {},
): Promise<T> {
  const maxRetries = options.maxThrottleRetries ?? 8;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    let body: { data?: T; errors?: unknown };
    try {
      const response = await admin.graphql(query, { variables });
      body = (await response.json()) as typeof body;
    } catch (error) {
      const info = throttleInfo(error);
      if (info && attempt < maxRetries) {
        await sleep(throttleDelayMs(info, attempt));
        continue;
      }
      if (error instanceof Response) throw error; // the library's re-auth responses
      throw new AdminApiError(describe(error), error);
    }
    if (body.errors) {
      const info = throttleInfo(body);
      if (info && attempt < maxRetries) {
        await sleep(throttleDelayMs(info, attempt));
        continue;
      }
      throw new AdminApiError("Admin API returned errors", body.errors);
    }
    return body.data as T;
  }
}

/** The error's message with its causes, which is where fetch puts the reason. */
function describe(error: unknown): string {
  return errorMessages(error).join(": ") || "Admin API request failed";
}

/** Throws when a mutation answered with userErrors. */
export function assertNoUserErrors(result: { userErrors?: { message: string }[] } | null | undefined, what: string): void {
  const errors = result?.userErrors ?? [];
  if (errors.length) throw new AdminApiError(`${what}: ${errors.map((e) => e.message).join("; ")}`, errors);
}
