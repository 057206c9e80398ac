/** Numbers behind the small charts: pure, so they are unit-tested. */

export type Point = { label: string; value: number };

/**
 * Counts of events per UTC day, from the first day to the last, empty days included (at most `maxDays`),
 * each labelled by `label` (the reader's language: "7 Dec", "7 Des").
 */
export function perDay(
  times: readonly number[],
  label: (unixSeconds: number) => string,
  maxDays = 60,
): Point[] {
  if (times.length === 0) return [];
  const day = (t: number) => Math.floor(t / 86_400);
  const counts = new Map<number, number>();
  for (const t of times) counts.set(day(t), (counts.get(day(t)) ?? 0) + 1);
  const last = Math.max(...counts.keys());
  const first = Math.max(Math.min(...counts.keys()), last - maxDays + 1);
  const out: Point[] = [];
  for (let d = first; d <= last; d++)
    out.push({
      label: label(d * 86_400),
      value: counts.get(d) ?? 0,
    });
  return out;
}

/** Turnout of each proposal (voters / members at the snapshot), oldest first, as a share in [0, 1]. */
export function turnout(
  proposals: readonly { voters: string; snapshotMembers: string; createdAt: string }[],
  label: (unixSeconds: number) => string,
): Point[] {
  return [...proposals]
    .sort((a, b) => Number(a.createdAt) - Number(b.createdAt))
    .map((p) => ({
      label: label(Number(p.createdAt)),
      value: Number(p.snapshotMembers) > 0 ? Number(p.voters) / Number(p.snapshotMembers) : 0,
    }));
}

/** Bar geometry for `points` in a chart `width` × `height`: one bar per point, scaled to the largest. */
export function bars(points: readonly Point[], width: number, height: number, max?: number) {
  const top = max ?? Math.max(0, ...points.map((p) => p.value));
  const slot = points.length > 0 ? width / points.length : 0;
  return points.map((p, i) => {
    const h = top > 0 ? (Math.max(0, p.value) / top) * height : 0;
    const w = Math.min(slot * 0.7, 36);
    return { x: i * slot + (slot - w) / 2, width: w, y: height - h, height: h, ...p };
  });
}
