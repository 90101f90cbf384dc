import { useEffect, useMemo, useState } from "react";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  BlockStack, Box, Card, DropZone, EmptyState, IndexFilters, IndexTable, Layout, Link, List, Modal, Page, Text,
  useIndexResourceState, useSetIndexFiltersMode, type IndexFiltersProps,
} from "@shopify/polaris";
import type { OfferRow, SyncState } from "~/admin/offer-pages.server";
import { KIND_SEGMENTS, KIND_TITLES, kindPath } from "~/admin/offer-kinds";
import { STATUSES, type OfferKind, type Status } from "~/offers/model";
import type { ImportProblem } from "~/offers/transfer";
import type { ImportView } from "~/offers/imports.server";
import { ImportProgress } from "./ImportProgress";
import { useFormat, useT } from "~/i18n/i18n";
import { StatusBadge } from "./StatusBadge";
import { SyncBanner } from "./SyncBanner";

const TABS: ("all" | Status)[] = ["all", ...STATUSES];
type SortKey = "name" | "priority" | "created";
type ActionResult = { ok: true; intent: string; count: number; importId?: string; sync: SyncState } | { ok: false; message: string; problems?: ImportProblem[] };

export function OfferIndex() {
  const { kind, rows, timezone, sync } = useLoaderData<{ kind: OfferKind; rows: OfferRow[]; timezone: string; sync: SyncState }>();
  const t = useT();
  const format = useFormat();
  const shopify = useAppBridge();
  const fetcher = useFetcher<ActionResult>();
  const [tab, setTab] = useState(0);
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<string[]>(["created desc"]);
  const { mode, setMode } = useSetIndexFiltersMode();
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [dialog, setDialog] = useState<"delete" | "import" | null>(null);
  const [importing, setImporting] = useState<string | null>(null);
  const revalidator = useRevalidator();

  const visible = useMemo(() => {
    const [key, direction] = sort[0]!.split(" ") as [SortKey, "asc" | "desc"];
    const value = (r: OfferRow) => (key === "name" ? r.name.toLowerCase() : key === "priority" ? r.priority : r.createdAt);
    const q = query.trim().toLowerCase();
    return rows
      .filter((r) => (TABS[tab] === "all" || r.status === TABS[tab]) && (!q || r.name.toLowerCase().includes(q)))
      .sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0) * (direction === "asc" ? 1 : -1));
  }, [rows, tab, query, sort]);

  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(visible as unknown as { [key: string]: unknown }[]);

  useEffect(() => {
    const result = fetcher.data;
    if (!result || fetcher.state !== "idle") return;
    if (result.ok && result.importId) {
      // Accepted: the job checks and saves it, and ImportProgress follows it to the end.
      setProblems([]);
      setImporting(result.importId);
    } else if (result.ok) {
      shopify.toast.show(t(`offers.index.done.${result.intent}`, { count: result.count }));
      clearSelection();
      setProblems([]);
      setDialog(null);
    } else {
      setProblems(result.problems ?? [{ line: 0, path: "", message: result.message }]);
    }
    // clearSelection changes identity on every render; the result is what matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data, fetcher.state]);

  const importDone = (view: ImportView) => {
    setImporting(null);
    if (view.status === "succeeded") {
      shopify.toast.show(t("offers.index.done.import", { count: view.saved }));
      setDialog(null);
      revalidator.revalidate();
    } else {
      setProblems(view.problems);
    }
  };

  const act = (intent: string, ids = selectedResources) => fetcher.submit({ intent, ids }, { method: "post" });
  const busy = fetcher.state !== "idle";
  const newUrl = `${kindPath(kind)}/new`;

  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: t("offers.index.sortCreated"), value: "created asc", directionLabel: t("offers.index.oldest") },
    { label: t("offers.index.sortCreated"), value: "created desc", directionLabel: t("offers.index.newest") },
    { label: t("offers.index.sortName"), value: "name asc", directionLabel: "A–Z" },
    { label: t("offers.index.sortName"), value: "name desc", directionLabel: "Z–A" },
    { label: t("offers.index.sortPriority"), value: "priority desc", directionLabel: t("offers.index.highest") },
    { label: t("offers.index.sortPriority"), value: "priority asc", directionLabel: t("offers.index.lowest") },
  ];

  const importFile = async (files: File[]) => {
    const file = files[0];
    if (!file) return;
    fetcher.submit({ intent: "import", file: await file.text() }, { method: "post" });
  };

  const title = t(KIND_TITLES[kind]);
  // Schedules are the shop's clock, not the browser's: a day's end in New York is not in Paris.
  const date = (ms: number | null) => (ms === null ? "—" : format.date(ms, timezone));

  return (
    <Page
      title={title}
      primaryAction={{ content: t(`offers.index.create.${kind}`), url: newUrl }}
      secondaryActions={[
        // Offered only when there is something to export (a disabled link is neither usable
        // nor readable: its faded text fails contrast).
        ...(rows.length ? [{ content: t("offers.index.export"), url: `/app/export/${KIND_SEGMENTS[kind]}`, external: false, download: true } as never] : []),
        { content: t("offers.index.import"), onAction: () => setDialog("import") },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <SyncBanner sync={fetcher.data?.ok ? fetcher.data.sync : sync} onRetry={() => fetcher.submit({ intent: "retrySync" }, { method: "post" })} retrying={busy} />
            {rows.length === 0 ? (
              <Card>
                <EmptyState heading={t(`offers.index.empty.${kind}.heading`)} action={{ content: t(`offers.index.create.${kind}`), url: newUrl }} image="">
                  <p>{t(`offers.index.empty.${kind}.body`)}</p>
                </EmptyState>
              </Card>
            ) : (
              <Card padding="0">
                <IndexFilters
                  sortOptions={sortOptions}
                  sortSelected={sort}
                  onSort={setSort}
                  queryValue={query}
                  queryPlaceholder={t("offers.index.search")}
                  onQueryChange={setQuery}
                  onQueryClear={() => setQuery("")}
                  tabs={TABS.map((s, i) => ({ id: `status-${s}`, content: t(`offers.status.${s}`), index: i, isLocked: true, onAction: () => {} }))}
                  selected={tab}
                  onSelect={setTab}
                  filters={[]}
                  appliedFilters={[]}
                  onClearAll={() => setQuery("")}
                  mode={mode}
                  setMode={setMode}
                  canCreateNewView={false}
                  cancelAction={{ onAction: () => setQuery("") }}
                />
                <IndexTable
                  resourceName={{ singular: t("offers.index.offer"), plural: t("offers.index.offers") }}
                  itemCount={visible.length}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  loading={busy}
                  headings={[
                    { title: t("offers.index.name") },
                    { title: t("offers.index.status") },
                    { title: t("offers.index.shape") },
                    { title: t("offers.index.priority"), alignment: "end" },
                    { title: t("offers.index.schedule") },
                  ]}
                  promotedBulkActions={[
                    { content: t("offers.index.activate"), onAction: () => act("activate") },
                    { content: t("offers.index.pause"), onAction: () => act("pause") },
                  ]}
                  bulkActions={[
                    { content: t("offers.index.duplicate"), onAction: () => act("duplicate") },
                    { content: t("offers.index.delete"), onAction: () => setDialog("delete") },
                  ]}
                  emptyState={<Box padding="400"><Text as="p" tone="subdued">{t("offers.index.noMatch")}</Text></Box>}
                >
                  {visible.map((row, index) => (
                    <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)}>
                      <IndexTable.Cell>
                        {/* The row's primary link: a click anywhere on the row follows it, and it is reachable by keyboard. */}
                        <Link url={`${kindPath(kind)}/${row.id}`} dataPrimaryLink removeUnderline monochrome>
                          <Text as="span" fontWeight="semibold">{row.name}</Text>
                        </Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell><StatusBadge status={row.status} /></IndexTable.Cell>
                      <IndexTable.Cell>{t(row.shape, { count: row.count })}</IndexTable.Cell>
                      <IndexTable.Cell><Text as="span" alignment="end" numeric>{row.priority}</Text></IndexTable.Cell>
                      <IndexTable.Cell>{row.startsAt || row.endsAt ? `${date(row.startsAt)} → ${date(row.endsAt)}` : t("offers.index.always")}</IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>

      <Modal
        open={dialog === "delete"}
        onClose={() => setDialog(null)}
        title={t("offers.index.deleteTitle")}
        primaryAction={{ content: t("offers.index.delete"), destructive: true, loading: busy, onAction: () => act("delete") }}
        secondaryActions={[{ content: t("offers.cancel"), onAction: () => setDialog(null) }]}
      >
        <Modal.Section>
          <Text as="p">{t("offers.index.deleteConfirm", { count: selectedResources.length })}</Text>
        </Modal.Section>
      </Modal>

      <Modal open={dialog === "import"} onClose={() => setDialog(null)} title={t("offers.import.title")} secondaryActions={[{ content: t("offers.cancel"), onAction: () => setDialog(null) }]}>
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">{t("offers.import.help")}</Text>
            <DropZone accept="application/json,.json" type="file" allowMultiple={false} onDrop={(_all, accepted) => void importFile(accepted)} label={t("offers.import.file")}>
              <DropZone.FileUpload actionTitle={t("offers.import.choose")} actionHint={t("offers.import.hint")} />
            </DropZone>
            {busy && !importing && <Text as="p" tone="subdued">{t("offers.import.sending")}</Text>}
            {importing && <ImportProgress id={importing} onDone={importDone} />}
            {problems.length > 0 && (
              <div role="alert">
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm" tone="critical">{t("offers.import.failed")}</Text>
                  <List>
                    {problems.slice(0, 20).map((p, i) => (
                      <List.Item key={i}>
                        {p.line ? `${t("offers.import.atLine", { line: p.line })} ` : null}{p.path ? <code>{p.path}</code> : null} {t(p.message)}{p.detail ? ` (${p.detail})` : ""}
                      </List.Item>
                    ))}
                  </List>
                </BlockStack>
              </div>
            )}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
