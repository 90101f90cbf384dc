import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import prisma from "~/db.server";
import { authenticate } from "~/shopify.server";
import { enqueue, hasPendingJob } from "~/jobs/queue.server";
import { latestRebuild } from "~/recommend/learned.server";
import {
  createLearnedBundle, createLearnedLadder, createLearnedMoveUp, suggestionsView, type AnchorView, type LadderView, type MoveUpView, type SuggestionsView,
} from "~/recommend/suggestions.server";
import { useFormat, useT } from "~/i18n/i18n";
import { CardHeading } from "~/components/CardHeading";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [view, run, rebuilding, backfilling, orders] = await Promise.all([
    suggestionsView(session.shop), latestRebuild(session.shop), hasPendingJob(session.shop, "recommend.rebuild"),
    hasPendingJob(session.shop, "orders.backfill"), prisma.order.count({ where: { shop: session.shop } }),
  ]);
  return Response.json({
    view, orders, rebuilding, failed: !rebuilding && run?.status === "failed" ? run.error : null,
    // A backfill under way ends in a rebuild: the page keeps watching for it.
    backfilling,
  });
};

const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("refresh") }),
  z.object({ intent: z.literal("bundle"), productId: z.string().min(1), name: z.string(), title: z.string() }),
  z.object({ intent: z.literal("ladder"), productId: z.string().min(1), option: z.string().min(1), name: z.string(), title: z.string() }),
  z.object({ intent: z.literal("moveUp"), productId: z.string().min(1), toId: z.string().min(1), name: z.string(), title: z.string() }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "refresh") {
    await enqueue(session.shop, "recommend.rebuild", {});
    return Response.json({ ok: true, intent: input.intent });
  }
  const offer = input.intent === "bundle"
    ? await createLearnedBundle(session.shop, input.productId, input)
    : input.intent === "ladder"
      ? await createLearnedLadder(session.shop, input.productId, input.option, input)
      : await createLearnedMoveUp(session.shop, input.productId, input.toId, input);
  if (!offer) return Response.json({ ok: false }, { status: 404 });
  return Response.json({ ok: true, intent: input.intent, path: `/app/${input.intent === "bundle" ? "bundles" : "upgrades"}/${offer.id}` });
};

interface Loaded { view: SuggestionsView | null; rebuilding: boolean; backfilling: boolean; failed: string | null; orders: number }
type Result = { ok: boolean; intent?: string; path?: string };

function useCreate() {
  const fetcher = useFetcher<Result>();
  const navigate = useNavigate();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.path) navigate(fetcher.data.path);
  }, [fetcher.state, fetcher.data, navigate]);
  return fetcher;
}

function Anchor({ anchor }: { anchor: AnchorView }) {
  const t = useT();
  const format = useFormat();
  const create = useCreate();
  return (
    <div data-testid="together-suggestion">
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">{anchor.title}</Text>
        <Button
          loading={create.state !== "idle"}
          accessibilityLabel={t("suggestions.createBundleFor", { product: anchor.title })}
          onClick={() => create.submit({ intent: "bundle", productId: anchor.productId, name: t("suggestions.draftName", { product: anchor.title, count: anchor.complements.length }).slice(0, 120), title: t("suggestions.bundleTitle") }, { method: "post" })}
        >
          {t("suggestions.createBundle")}
        </Button>
      </InlineStack>
      <BlockStack gap="100">
        {anchor.complements.map((c) => (
          <Text as="p" key={c.productId}>
            <Text as="span" fontWeight="semibold"><span data-testid="complement-title">{c.title}</span></Text>{" · "}
            <Text as="span" tone="subdued">{t("suggestions.evidence", { orders: format.number(c.ordersTogether), times: format.multiplier(c.timesChance) })}</Text>
          </Text>
        ))}
      </BlockStack>
    </BlockStack>
    </div>
  );
}

function Ladder({ ladder, currency }: { ladder: LadderView; currency: string }) {
  const t = useT();
  const format = useFormat();
  const create = useCreate();
  const price = (minor: number) => format.money(minor, currency);
  return (
    <InlineStack align="space-between" blockAlign="center" gap="200">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">{ladder.title} · {ladder.option}</Text>
        <Text as="p" tone="subdued">{ladder.steps.map((s) => `${s.value} (${price(s.priceMinor)})`).join(" → ")}</Text>
      </BlockStack>
      <Button
        loading={create.state !== "idle"}
        accessibilityLabel={t("suggestions.createLadderFor", { product: ladder.title })}
        onClick={() => create.submit({ intent: "ladder", productId: ladder.productId, option: ladder.option, name: `${ladder.title}: ${ladder.option}`.slice(0, 120), title: t("suggestions.ladderTitle") }, { method: "post" })}
      >
        {t("suggestions.createLadder")}
      </Button>
    </InlineStack>
  );
}

function MoveUp({ move, currency }: { move: MoveUpView; currency: string }) {
  const t = useT();
  const format = useFormat();
  const create = useCreate();
  const price = format.money(move.priceStep, currency);
  return (
    <InlineStack align="space-between" blockAlign="center" gap="200">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">{move.from} → {move.to}</Text>
        <Text as="p" tone="subdued">{t("suggestions.moveUpEvidence", { customers: format.number(move.customers), share: Math.round(move.share * 100), days: Math.round(move.medianDays), price })}</Text>
      </BlockStack>
      <Button
        loading={create.state !== "idle"}
        accessibilityLabel={t("suggestions.createLadderFor", { product: move.from })}
        onClick={() => create.submit({ intent: "moveUp", productId: move.fromId, toId: move.toId, name: `${move.from} → ${move.to}`.slice(0, 120), title: t("suggestions.ladderTitle") }, { method: "post" })}
      >
        {t("suggestions.createLadder")}
      </Button>
    </InlineStack>
  );
}

function Section({ title, help, children }: { title: string; help: string; children: React.ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <CardHeading title={title} help={help} />
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

export default function Suggestions() {
  const { view, rebuilding, backfilling, failed, orders } = useLoaderData<Loaded>();
  const t = useT();
  const format = useFormat();
  const refresh = useFetcher<Result>();
  const revalidator = useRevalidator();
  const busy = rebuilding || refresh.state !== "idle";

  // Poll only while orders are being synced or learned from.
  const waiting = rebuilding || backfilling;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  const startRefresh = () => refresh.submit({ intent: "refresh" }, { method: "post" });
  const primaryAction = { content: t("suggestions.refresh"), onAction: startRefresh, loading: busy, disabled: orders === 0 };

  if (!view) {
    return (
      <Page title={t("suggestions.title")} primaryAction={primaryAction}>
        <Card>
          <EmptyState heading={t(orders ? "suggestions.notLearnedHeading" : "suggestions.emptyHeading")} image="">
            <p>{t(orders ? "suggestions.notLearnedBody" : "suggestions.emptyBody")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return (
    <Page title={t("suggestions.title")} primaryAction={primaryAction}>
      <Layout>
        <Layout.Section>
          <InlineStack gap="200" blockAlign="center">
            <Text as="p" tone="subdued">
              <span data-testid="suggestions-freshness">{t("suggestions.freshness", { orders: format.number(view.orders), when: format.dateTime(view.updatedAt) })}</span>
            </Text>
            {busy && <Badge tone="info" progress="partiallyComplete">{t("suggestions.refreshing")}</Badge>}
            {failed && <Badge tone="critical">{t("suggestions.failed")}</Badge>}
          </InlineStack>
        </Layout.Section>
        <Section title={t("suggestions.togetherHeading")} help={t("suggestions.togetherHelp")}>
          {view.anchors.length ? view.anchors.map((a) => <Anchor key={a.productId} anchor={a} />) : <Text as="p">{t("suggestions.none")}</Text>}
        </Section>
        <Section title={t("suggestions.laddersHeading")} help={t("suggestions.laddersHelp")}>
          {view.ladders.length ? view.ladders.map((l) => <Ladder key={`${l.productId}|${l.option}`} ladder={l} currency={view.currency} />) : <Text as="p">{t("suggestions.none")}</Text>}
        </Section>
        <Section title={t("suggestions.moveUpsHeading")} help={t("suggestions.moveUpsHelp")}>
          {view.moveUps.length ? view.moveUps.map((m) => <MoveUp key={`${m.fromId}|${m.toId}`} move={m} currency={view.currency} />) : <Text as="p">{t("suggestions.none")}</Text>}
        </Section>
        <Section title={t("suggestions.refillsHeading")} help={t("suggestions.refillsHelp")}>
          {view.refills.length ? view.refills.map((r) => (
            <Text as="p" key={r.productId}>
              <Text as="span" fontWeight="semibold">{r.title}</Text>{" · "}
              <Text as="span" tone="subdued">{t("suggestions.refillEvidence", { days: Math.round(r.medianDays), from: Math.round(r.p25Days), to: Math.round(r.p75Days), customers: format.number(r.customers) })}</Text>
            </Text>
          )) : <Text as="p">{t("suggestions.none")}</Text>}
        </Section>
        <Section title={t("suggestions.bestSellersHeading")} help={t("suggestions.bestSellersHelp")}>
          {view.bestSellers.length ? (
            <ol style={{ margin: 0, paddingLeft: 20 }}>
              {view.bestSellers.map((s) => (
                <li key={s.productId}>
                  <Text as="span" fontWeight="semibold">{s.title}</Text>{" · "}
                  <Text as="span" tone="subdued">{t("suggestions.bestSellerEvidence", { orders: format.number(s.orders) })}</Text>
                  {s.similar.length > 0 && <Text as="p" tone="subdued">{t("suggestions.similar", { products: s.similar.map((x) => x.title).join(", ") })}</Text>}
                </li>
              ))}
            </ol>
          ) : <Text as="p">{t("suggestions.none")}</Text>}
        </Section>
      </Layout>
    </Page>
  );
}
