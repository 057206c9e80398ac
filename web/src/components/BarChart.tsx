/** A small SVG bar chart with an accessible table of the same numbers. */
import { bars, type Point } from "../lib/series.ts";

const W = 320;
const H = 120;

export function BarChart({
  title,
  points,
  max,
  format = (v) => String(v),
  testId,
}: {
  title: string;
  points: readonly Point[];
  max?: number;
  format?: (value: number) => string;
  testId?: string;
}) {
  const geometry = bars(points, W, H - 18, max);
  const step = Math.max(1, Math.ceil(points.length / 6));
  return (
    <figure className="panel" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <line x1={0} x2={W} y1={H - 18} y2={H - 18} stroke="#d8ddd6" />
        {geometry.map((b, i) => (
          <g key={i}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={2} fill="#2f6b3c">
              <title>{`${b.label}: ${format(b.value)}`}</title>
            </rect>
            {i % step === 0 && (
              <text x={b.x + b.width / 2} y={H - 4} textAnchor="middle">
                {b.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <details>
        <summary className="hint">{title}</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={title}>
          <table>
            <tbody>
              {points.map((p, i) => (
                <tr key={i}>
                  <th scope="row">{p.label}</th>
                  <td>{format(p.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
