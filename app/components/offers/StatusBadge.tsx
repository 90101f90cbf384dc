import { Badge, type BadgeProps } from "@shopify/polaris";
import type { Status } from "~/offers/model";
import { useT } from "~/i18n/i18n";

const TONES: Record<Status, BadgeProps["tone"]> = { active: "success", scheduled: "info", paused: "attention", draft: undefined, ended: undefined };

export function StatusBadge({ status }: { status: Status }) {
  const t = useT();
  return <Badge tone={TONES[status]} progress={status === "active" ? "complete" : status === "scheduled" ? "partiallyComplete" : "incomplete"}>{t(`offers.status.${status}`)}</Badge>;
}
