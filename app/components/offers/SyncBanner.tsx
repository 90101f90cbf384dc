import { Banner, Text } from "@shopify/polaris";
import type { SyncState } from "~/admin/offer-pages.server";
import { useT } from "~/i18n/i18n";

/** Says when the storefront is not (yet) showing what the merchant saved. */
export function SyncBanner({ sync, onRetry, retrying }: { sync: SyncState; onRetry: () => void; retrying: boolean }) {
  const t = useT();
  if (sync.status === "failed") {
    return (
      <Banner tone="critical" title={t("offers.sync.failedTitle")} action={{ content: t("offers.sync.retry"), onAction: onRetry, loading: retrying }}>
        <Text as="p">{t("offers.sync.failedBody")}</Text>
        {sync.error && <Text as="p" tone="subdued">{sync.error}</Text>}
      </Banner>
    );
  }
  if (sync.status === "running") return <Banner tone="info" title={t("offers.sync.running")} />;
  if (sync.status === "interrupted") return <Banner tone="info" title={t("offers.sync.interrupted")} />;
  if (sync.warning) {
    const [key, count] = sync.warning.split("|");
    return <Banner tone="warning" title={t(key!, { count: Number(count) })} />;
  }
  return null;
}
