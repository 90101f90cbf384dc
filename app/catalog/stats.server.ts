// Read-side figures for the dashboard. Every query is for one shop.
import prisma from "~/db.server";
import { latestSyncRun, type RunStatus } from "./sync.server";
import { remainingMs } from "./progress";

export interface RunView {
  status: RunStatus;
  done: number;
  total: number | null;
  /** Time left at the pace so far, while running. */
  remainingMs: number | null;
  error: string | null;
  /** A translation key: what succeeded with a reservation (app/locales: dashboard.warnings). */
  warning: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const runView = (run: Awaited<ReturnType<typeof latestSyncRun>>): RunView | null =>
  run && {
    status: run.status, done: run.done, total: run.total, error: run.error, warning: run.warning,
    remainingMs: run.status === "running" ? remainingMs({ done: run.done, total: run.total, startedAt: run.startedAt.getTime() }, Date.now()) : null,
    startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null,
  };

export async function dashboardStats(shop: string) {
  const [products, variants, collections, orders, range, catalogRun, ordersRun, perMonth] = await Promise.all([
    prisma.product.count({ where: { shop } }),
    prisma.variant.count({ where: { shop } }),
    prisma.collection.count({ where: { shop } }),
    prisma.order.count({ where: { shop } }),
    prisma.order.aggregate({ where: { shop }, _min: { createdAt: true }, _max: { createdAt: true } }),
    latestSyncRun(shop, "catalog"),
    latestSyncRun(shop, "orders"),
    prisma.order.findMany({ where: { shop }, select: { createdAt: true } }),
  ]);
  const months = new Map<string, number>();
  for (const { createdAt } of perMonth) {
    const key = createdAt.toISOString().slice(0, 7);
    months.set(key, (months.get(key) ?? 0) + 1);
  }
  return {
    products, variants, collections, orders,
    firstOrderAt: range._min.createdAt?.toISOString() ?? null,
    lastOrderAt: range._max.createdAt?.toISOString() ?? null,
    catalogRun: runView(catalogRun),
    ordersRun: runView(ordersRun),
    ordersPerMonth: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count })),
  };
}
