import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { dealsPage, deleteDeal, saveDeal } from "~/deals/deals.server";
import { DealsPage } from "~/components/deals/DealsPage";

// Deal of the day: the merchant's schedule, one product at a price per day of the shop's calendar.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return Response.json(await dealsPage(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") === "delete") {
    await deleteDeal(session.shop, String(form.get("day") ?? ""));
    return Response.json({ ok: true, errors: {} });
  }
  const result = await saveDeal(session.shop, form);
  return Response.json(result.ok ? { ok: true, errors: {} } : result, { status: result.ok ? 200 : 400 });
};

export default DealsPage;
