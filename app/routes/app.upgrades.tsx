import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { NotBuiltYet } from "~/components/NotBuiltYet";
import { useT } from "~/i18n/i18n";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Upgrades() {
  const t = useT();
  return <NotBuiltYet title={t("nav.upgrades")} heading={t("placeholder.upgradesHeading")} body={t("placeholder.upgradesBody")} />;
}
