import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import type { JobView } from "~/jobs/queue.server";
import { useFormat, useT } from "~/i18n/i18n";

/** Background work that failed for good or waits to retry, each with its reason and a retry. */
export function JobsCard({ jobs }: { jobs: JobView[] }) {
  const t = useT();
  const format = useFormat();
  const retry = useFetcher<{ retried?: boolean }>();
  const shopify = useAppBridge();
  useEffect(() => {
    if (retry.data?.retried) shopify.toast.show(t("jobs.retryStarted"));
  }, [retry.data, shopify, t]);
  if (!jobs.length) return null;
  return (
    <Banner tone="warning" title={t("jobs.heading")}>
      <BlockStack gap="300">
        <p>{t("jobs.body")}</p>
        {jobs.map((job) => (
          <InlineStack key={job.id} align="space-between" blockAlign="center" gap="200" wrap={false}>
            <BlockStack gap="050">
              <Text as="p" fontWeight="semibold">{t(`jobs.names.${job.name.replace(".", "_")}`)}</Text>
              <Text as="p" tone="subdued">
                {job.status === "failed"
                  ? t("jobs.failed", { attempts: job.attempts })
                  : t("jobs.waiting", { when: format.dateTime(job.runAt), attempts: job.attempts + 1, max: job.maxAttempts })}
              </Text>
              {job.error && <Text as="p" tone="subdued" breakWord>{job.error}</Text>}
            </BlockStack>
            <Button
              onClick={() => retry.submit({ intent: "retryJob", id: job.id }, { method: "post" })}
              loading={retry.state !== "idle" && retry.formData?.get("id") === job.id}
              accessibilityLabel={`${t("jobs.retry")}: ${t(`jobs.names.${job.name.replace(".", "_")}`)}`}
            >
              {t("jobs.retry")}
            </Button>
          </InlineStack>
        ))}
      </BlockStack>
    </Banner>
  );
}
