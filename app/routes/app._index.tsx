import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge, Banner, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, Link, Page, ProgressBar, Text,
} from "@shopify/polaris";
import { z } from "zod";
import { authenticate } from "~/shopify.server";
import { dashboardStats, type RunView } from "~/catalog/stats.server";
import { offerCounts } from "~/offers/repository.server";
import { KIND_TITLES, kindPath } from "~/admin/offer-kinds";
import type { OfferKind } from "~/offers/model";
import { enqueue, hasPendingJob, jobsNeedingAttention, retryJob } from "~/jobs/queue.server";
import { OrdersChart } from "~/components/OrdersChart";
import { Onboarding } from "~/components/Onboarding";
import { JobsCard } from "~/components/JobsCard";
import { useFormat, useT } from "~/i18n/i18n";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const [stats, offers, attention, catalogPending, ordersPending] = await Promise.all([
    dashboardStats(shop), offerCounts(shop), jobsNeedingAttention(shop), hasPendingJob(shop, "catalog.sync"), hasPendingJob(shop, "orders.backfill"),
  ]);
  return Response.json({ ...stats, offers, attention, pending: catalogPending || ordersPending });
};

const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sync") }),
  z.object({ intent: z.literal("retryJob"), id: z.string().min(1).max(100) }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false }, { status: 400 });
  if (parsed.data.intent === "retryJob") return Response.json({ retried: await retryJob(session.shop, parsed.data.id) });
  await enqueue(session.shop, "catalog.sync", {});
  return Response.json({ started: true });
};

type Stats = Awaited<ReturnType<typeof dashboardStats>> & {
  offers: Awaited<ReturnType<typeof offerCounts>>;
  attention: Awaited<ReturnType<typeof jobsNeedingAttention>>;
  /** A sync is queued or running: the page keeps watching. */
  pending: boolean;
};

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="bodyMd" tone="subdued">{label}</Text>
      <Text as="p" variant="headingLg"><span data-testid={testId}>{value}</span></Text>
    </BlockStack>
  );
}

function RunStatus({ run, what, onRetry, testId }: { run: RunView | null; what: string; onRetry: () => void; testId: string }) {
  const t = useT();
  const format = useFormat();
  if (!run) return <Text as="p" tone="subdued">{t("dashboard.lastSync")}: {t("dashboard.never")}</Text>;
  if (run.status === "running") {
    const progress = run.total ? Math.min(100, Math.round((run.done / run.total) * 100)) : 0;
    return (
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Badge tone="info" progress="partiallyComplete">{t("dashboard.statusRunning")}</Badge>
          {run.total ? <Text as="span" tone="subdued"><span data-testid={`${testId}-progress`}>{t("dashboard.progress", { done: format.number(run.done), total: format.number(run.total) })}</span></Text> : null}
          {run.remainingMs !== null && <Text as="span" tone="subdued">{t("dashboard.timeLeft", { duration: format.duration(run.remainingMs) })}</Text>}
        </InlineStack>
        <ProgressBar progress={progress} size="small" />
        <span className="uplift-visually-hidden" role="status">{t("dashboard.progressLabel", { what })}: {progress}%</span>
      </BlockStack>
    );
  }
  if (run.status === "interrupted") {
    return (
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Badge tone="attention">{t("dashboard.statusInterrupted")}</Badge>
          {run.total ? <Text as="span" tone="subdued">{t("dashboard.progress", { done: format.number(run.done), total: format.number(run.total) })}</Text> : null}
        </InlineStack>
        <Text as="p" tone="subdued">{t("dashboard.interruptedBody")}</Text>
      </BlockStack>
    );
  }
  const seconds = run.finishedAt ? Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000)) : 0;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={run.status === "failed" ? "critical" : "success"}>
          {run.status === "failed" ? t("dashboard.statusFailed") : t("dashboard.statusSucceeded")}
        </Badge>
        {run.finishedAt && <Text as="span" tone="subdued">{t("dashboard.finishedAt", { when: format.dateTime(run.finishedAt), seconds })}</Text>}
      </InlineStack>
      {run.status === "failed" && (
        <Banner tone="critical" title={t("dashboard.failedTitle", { what })} action={{ content: t("dashboard.retry"), onAction: onRetry }}>
          <p>{run.error}</p>
        </Banner>
      )}
      {run.status === "succeeded" && run.warning && (
        <Banner tone="warning">
          <p>{t(`dashboard.warnings.${run.warning}`)}</p>
        </Banner>
      )}
    </BlockStack>
  );
}

export default function Dashboard() {
  const stats = useLoaderData<Stats>();
  const t = useT();
  const format = useFormat();
  const sync = useFetcher<{ started: boolean }>();
  const revalidator = useRevalidator();
  const shopify = useAppBridge();
  // An interrupted run resumes by itself: keep watching for it too.
  const unfinished = (run: RunView | null) => run?.status === "running" || run?.status === "interrupted";
  const running = stats.pending || unfinished(stats.catalogRun) || unfinished(stats.ordersRun);

  // Poll only while something is running.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  useEffect(() => {
    if (sync.data?.started) shopify.toast.show(t("dashboard.syncStarted"));
  }, [sync.data, t, shopify]);

  const startSync = () => sync.submit({ intent: "sync" }, { method: "post" });
  const syncing = sync.state !== "idle";
  // Nothing synced and nothing tried yet; a failed run shows its banner instead.
  const empty = stats.products === 0 && stats.orders === 0 && !stats.catalogRun && !stats.ordersRun && !stats.pending;

  return (
    <Page title={t("dashboard.title")} primaryAction={{ content: t("dashboard.syncNow"), onAction: startSync, loading: syncing, disabled: stats.catalogRun?.status === "running" }}>
      <Layout>
        {stats.attention.length > 0 && (
          <Layout.Section>
            <JobsCard jobs={stats.attention} />
          </Layout.Section>
        )}
        <Onboarding
          state={{ catalogSynced: stats.catalogRun?.status === "succeeded", hasOffer: Object.values(stats.offers).some((counts) => counts.total > 0) }}
          onSync={startSync}
          syncing={syncing || stats.catalogRun?.status === "running"}
        />
        {empty ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("dashboard.emptyHeading")} action={{ content: t("dashboard.syncNow"), onAction: startSync, loading: syncing }} image="">
                <p>{t("dashboard.emptyBody")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">{t("dashboard.catalogHeading")}</Text>
                  <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                    <Figure label={t("dashboard.products")} value={format.number(stats.products)} testId="products-count" />
                    <Figure label={t("dashboard.variants")} value={format.number(stats.variants)} testId="variants-count" />
                    <Figure label={t("dashboard.collections")} value={format.number(stats.collections)} testId="collections-count" />
                  </InlineGrid>
                  <RunStatus run={stats.catalogRun} what={t("dashboard.catalogHeading")} onRetry={startSync} testId="catalog-run" />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">{t("dashboard.ordersHeading")}</Text>
                  <Figure label={t("dashboard.orders")} value={format.number(stats.orders)} testId="orders-count" />
                  {stats.firstOrderAt && stats.lastOrderAt && (
                    <Text as="p" tone="subdued">{t("dashboard.ordersRange", { from: format.date(stats.firstOrderAt), to: format.date(stats.lastOrderAt) })}</Text>
                  )}
                  <RunStatus run={stats.ordersRun} what={t("dashboard.ordersHeading")} onRetry={startSync} testId="orders-run" />
                  {stats.ordersPerMonth.length > 1 && (
                    <BlockStack gap="200">
                      <Text as="h3" variant="headingSm">{t("dashboard.chartHeading")}</Text>
                      <OrdersChart data={stats.ordersPerMonth} />
                    </BlockStack>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        )}
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("dashboard.offersHeading")}</Text>
              {(Object.keys(KIND_TITLES) as OfferKind[]).map((kind) => (
                <InlineStack key={kind} align="space-between" blockAlign="center">
                  <Link url={kindPath(kind)}>{t(KIND_TITLES[kind])}</Link>
                  <Text as="span" tone="subdued">
                    <span data-testid={`offers-${kind}`}>
                      {stats.offers[kind].total ? t("dashboard.offersCount", { count: stats.offers[kind].active, total: stats.offers[kind].total }) : t("dashboard.offersNone")}
                    </span>
                  </Text>
                </InlineStack>
              ))}
              <Text as="p" tone="subdued">{t("dashboard.offersHelp")}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
