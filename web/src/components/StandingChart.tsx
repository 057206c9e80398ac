/**
 * Where a member stands on one figure: the pool's spread as a histogram (noisy counts per bin), the pool's
 * average as a line and the member's own average marked, on an axis in the reader's language. The same
 * numbers are written out beside it for whoever does not read charts.
 */
import { useI18n } from "../i18n/i18n.tsx";
import { scale } from "../lib/benchmark.ts";
import type { SchemaField } from "../lib/schemaDoc.ts";

const W = 320;
const H = 96;
const PAD = 10;
const BASE = 64;

export function StandingChart({
  field,
  label,
  own,
  poolMean,
  histogram,
}: {
  field: SchemaField;
  label: string;
  own: number;
  poolMean?: number | undefined;
  histogram?: { edges: readonly number[]; counts: readonly number[] } | undefined;
}) {
  const { t, fmt } = useI18n();
  const { min, max } = scale(
    [own, ...(poolMean !== undefined ? [poolMean] : []), ...(histogram?.edges ?? [])],
    field,
  );
  const x = (v: number) =>
    PAD + ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * (W - 2 * PAD);
  const unit = field.unit ? ` ${field.unit}` : "";
  const top = Math.max(0, ...(histogram?.counts ?? []));
  const ticks = [min, (min + max) / 2, max];
  return (
    <svg className="chart standing" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <line x1={PAD} x2={W - PAD} y1={BASE} y2={BASE} stroke="#8a948c" strokeWidth={1} />
      {histogram &&
        top > 0 &&
        histogram.counts.map((c, i) => {
          const [lo, hi] = [histogram.edges[i], histogram.edges[i + 1]];
          const h = (c / top) * (BASE - 14);
          return (
            <rect
              key={i}
              x={x(lo) + 1}
              y={BASE - h}
              width={Math.max(1, x(hi) - x(lo) - 2)}
              height={h}
              fill="#cfe3d3"
            />
          );
        })}
      {poolMean !== undefined && (
        <line x1={x(poolMean)} x2={x(poolMean)} y1={8} y2={BASE} stroke="#2f6b3c" strokeWidth={2}>
          <title>{t("benchmark.pool", { value: fmt.number(poolMean) + unit })}</title>
        </line>
      )}
      <line
        x1={x(own)}
        x2={x(own)}
        y1={4}
        y2={BASE}
        stroke="#1d2327"
        strokeWidth={2}
        strokeDasharray="4 3"
      />
      <circle cx={x(own)} cy={BASE} r={6} fill="#e0a800" stroke="#1d2327">
        <title>{t("benchmark.you", { value: fmt.number(own) + unit })}</title>
      </circle>
      {ticks.map((v, i) => (
        <text
          key={i}
          x={x(v)}
          y={H - 8}
          textAnchor={i === 0 ? "start" : i === 2 ? "end" : "middle"}
        >
          {fmt.number(v, 1)}
          {i === 2 ? unit : ""}
        </text>
      ))}
    </svg>
  );
}
