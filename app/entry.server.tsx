import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { DatabaseUnavailableError, ensureDatabaseReady } from "./db.server";
import { allowExtraFrameAncestors } from "./shopify/frame-ancestors";
import { appBridgeUrl, preloadAppBridge } from "./shopify/app-bridge";
import { ensureWorker } from "./jobs/worker.server";
import { enqueueTokenMigrations } from "./shop/tokens.server";

export const streamTimeout = 5000;

// Background work runs in every app instance, from the moment the server loads; shops still
// on a non-expiring token are queued for the exchange (jobs for the same shop coalesce).
if (ensureWorker()) void enqueueTokenMigrations().catch((error) => console.error("uplift: could not queue token migrations", error));

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  try {
    await ensureDatabaseReady();
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    // One sentence a person can act on, instead of a stack trace.
    console.error(`uplift: ${error.message}`);
    return new Response(error.message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  addDocumentResponseHeaders(request, responseHeaders);
  allowExtraFrameAncestors(responseHeaders, process.env.EXTRA_FRAME_ANCESTORS);
  preloadAppBridge(responseHeaders, appBridgeUrl());
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} />,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
