import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ingestPixelEvents } from "~/events/ingest.server";

// The web pixel's batches (extensions/pixel): public, checked by the shop's pixel key and the
// batch's shape, rate-limited, deduplicated (app/events). POST and OPTIONS reach the action.
export const action = ({ request }: ActionFunctionArgs) => ingestPixelEvents(request);
export const loader = ({ request }: LoaderFunctionArgs) => ingestPixelEvents(request);
