import { Text } from "@shopify/polaris";
import { useFormat, useT } from "~/i18n/i18n";

/** A small bar chart of orders per month: an SVG image with a text summary, and the same
 *  figures as a table for screen readers. */
export function OrdersChart({ data }: { data: { month: string; count: number }[] }) {
  const t = useT();
  const format = useFormat();
  if (!data.length) return null;
  const max = Math.max(...data.map((d) => d.count));
  const peak = data.find((d) => d.count === max)!;
  const width = 640;
  const height = 160;
  const bar = width / data.length;
  const label = t("dashboard.chartLabel", {
    from: format.month(`${data[0]!.month}-01`), to: format.month(`${data.at(-1)!.month}-01`),
    peak: format.month(`${peak.month}-01`), count: format.number(peak.count),
  });
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height + 18}`} width="100%" role="img" aria-label={label}>
        {data.map((d, i) => {
          const h = Math.max(1, Math.round((d.count / max) * height));
          return (
            <g key={d.month}>
              <rect x={i * bar + 1} y={height - h} width={bar - 2} height={h} rx={2} fill="#2c6ecb">
                <title>{`${format.month(`${d.month}-01`)}: ${format.number(d.count)}`}</title>
              </rect>
              {i % 3 === 0 && (
                <text x={i * bar + bar / 2} y={height + 14} fontSize="10" textAnchor="middle" fill="#616161">{format.month(`${d.month}-01`)}</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption><Text as="span" variant="bodySm" tone="subdued">{label}</Text></figcaption>
      <table className="uplift-visually-hidden">
        <thead><tr><th>{t("dashboard.month")}</th><th>{t("dashboard.orders")}</th></tr></thead>
        <tbody>{data.map((d) => <tr key={d.month}><td>{format.month(`${d.month}-01`)}</td><td>{d.count}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}
