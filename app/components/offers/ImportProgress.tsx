import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, ProgressBar, Text } from "@shopify/polaris";
import type { ImportView } from "~/offers/imports.server";
import { useT } from "~/i18n/i18n";

/** How far an import is, as a share of its steps: queued, checking, saving, done. */
const SHARE: Record<ImportView["status"], number> = { queued: 5, checking: 35, saving: 70, succeeded: 100, failed: 100 };

/**
 * Follows an import the server runs as a job (app/offers/imports.server.ts) until it ends,
 * then hands its outcome to `onDone`. The merchant may close the dialog: the import goes on.
 */
export function ImportProgress({ id, onDone }: { id: string; onDone: (view: ImportView) => void }) {
  const t = useT();
  const poll = useFetcher<ImportView>();
  const view = poll.data?.id === id ? poll.data : null;
  const over = view?.status === "succeeded" || view?.status === "failed";

  useEffect(() => {
    if (over) return;
    if (poll.state === "idle") {
      const timer = setTimeout(() => poll.load(`/app/imports/${id}`), view ? 400 : 0);
      return () => clearTimeout(timer);
    }
  }, [id, over, poll, view]);

  useEffect(() => {
    if (view && over) onDone(view);
    // onDone is the parent's; the outcome arriving is what matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [over, view?.status]);

  if (over) return null;
  const status = view?.status ?? "queued";
  const label = status === "saving" && view?.total !== null && view?.total !== undefined
    ? t("offers.import.saving", { count: view.total })
    : t(`offers.import.${status === "queued" ? "queued" : "checking"}`);
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">{label}</Text>
      <ProgressBar progress={SHARE[status]} size="small" ariaLabelledBy="uplift-import-progress" />
      <span id="uplift-import-progress" className="uplift-visually-hidden" role="status">{label}</span>
    </BlockStack>
  );
}
