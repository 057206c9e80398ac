/**
 * Where a member stands on one figure: the pool's spread (the middle half as a band, the median as a
 * line) with the member's own value marked, on an axis labelled in the reader's language; the same numbers
 * as text beside it.
 */
import { useI18n } from "../i18n/i18n.tsx";
import { scale } from "../lib/benchmark.ts";
import type { PoolFigure } from "../lib/benchmark.ts";
import type { SchemaField } from "../lib/schemaDoc.ts";

const W = 320;
const H = 64;

export function StandingChart({
  field,
  label,
  own,
  pool,
}: {
  field: SchemaField;
  label: string;
  own: number;
  pool?: PoolFigure;
}) {
  const { t, fmt } = useI18n();
  const qs = [...(pool?.quantiles ?? [])].sort((a, b) => a.q - b.q);
  const at = (q: number) => qs.find((x) => Math.abs(x.q - q) < 1e-9)?.value;
  const q25 = at(0.25);
  const q50 = at(0.5) ?? pool?.mean ?? undefined;
  const q75 = at(0.75);
  const { min, max } = scale([own, ...qs.map((q) => q.value), ...(q50 !== undefined ? [q50] : [])], field);
  const x = (v: number) => 10 + ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * (W - 20);
  const unit = field.unit ? ` ${field.unit}` : "";
  const ticks = [min, (min + max) / 2, max];
  return (
    <svg className="chart standing" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <line x1={10} x2={W - 10} y1={30} y2={30} stroke="#d8ddd6" strokeWidth={2} />
      {q25 !== undefined && q75 !== undefined && (
        <rect x={x(q25)} y={20} width={Math.max(2, x(q75) - x(q25))} height={20} fill="#cfe3d3">
          <title>{t("benchmark.middleHalf", { low: fmt.number(q25) + unit, high: fmt.number(q75) + unit })}</title>
        </rect>
      )}
      {q50 !== undefined && (
        <line x1={x(q50)} x2={x(q50)} y1={16} y2={44} stroke="#2f6b3c" strokeWidth={2}>
          <title>{t("benchmark.median", { value: fmt.number(q50) + unit })}</title>
        </line>
      )}
      <circle cx={x(own)} cy={30} r={6} fill="#e0a800" stroke="#1d2327">
        <title>{t("benchmark.you", { value: fmt.number(own) + unit })}</title>
      </circle>
      {ticks.map((v, i) => (
        <text key={i} x={x(v)} y={H - 4} textAnchor={i === 0 ? "start" : i === 2 ? "end" : "middle"}>
          {fmt.number(v, 1)}
          {i === 2 ? unit : ""}
        </text>
      ))}
    </svg>
  );
}
