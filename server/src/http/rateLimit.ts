/**
 * Rate limits shared by every gateway process on one store. A limit is `limit` requests per key in each
 * fixed window of `windowMs` (windows aligned to the clock, so every process names the same one); the
 * count lives in the store (`gateway_rate_limits`), so N processes together still allow `limit`, not N
 * times it.
 *
 * A process does not ask the store on every request: it reserves tokens in chunks — an eighth of what the
 * window has left, at least one — in one atomic statement that never takes the count past the limit, and
 * spends them locally. So the limit holds exactly (never more than `limit` per window, whatever the
 * number of processes), a busy key costs a few statements per window, and the price is that a process may
 * hold a few tokens it does not use before the window ends.
 */
import type { Queryable } from "../store/db.ts";

interface WindowState {
  window: number;
  /** Tokens reserved and not yet spent. */
  left: number;
  /** The window's count in the store as of the last reservation. */
  used: number;
  /** The store refused a reservation: the window is spent. */
  full: boolean;
  pending: Promise<void> | null;
}

export class RateLimiter {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  private readonly db: Queryable;
  private readonly clock: () => number;
  private readonly states = new Map<string, WindowState>();
  private reservations = 0;

  constructor(options: {
    db: Queryable;
    /** Names the limit in the store: two limiters of the same name share their counts. */
    name: string;
    limit: number;
    windowMs: number;
    /** Milliseconds since the epoch (default: the wall clock). */
    clock?: () => number;
  }) {
    this.db = options.db;
    this.name = options.name;
    this.limit = Math.max(0, Math.floor(options.limit));
    this.windowMs = options.windowMs;
    this.clock = options.clock ?? Date.now;
  }

  /** Counts one request for `key`; false when the key is over its limit in this window. */
  async take(key: string): Promise<boolean> {
    const bucket = `${this.name}:${key}`;
    for (;;) {
      const window = Math.floor(this.clock() / this.windowMs);
      let s = this.states.get(bucket);
      if (!s || s.window !== window) {
        if (this.states.size >= 100_000) this.sweep(window);
        s = { window, left: 0, used: 0, full: false, pending: null };
        this.states.set(bucket, s);
      }
      if (s.left > 0) {
        s.left--;
        return true;
      }
      if (s.full || this.limit === 0) return false;
      const state = s;
      state.pending ??= this.reserve(bucket, state).finally(() => {
        state.pending = null;
      });
      await state.pending;
    }
  }

  private async reserve(bucket: string, s: WindowState): Promise<void> {
    const want = Math.max(1, Math.floor((this.limit - s.used) / 8));
    const { rows } = await this.db.query<{ used: string; granted: string }>(
      `INSERT INTO gateway_rate_limits AS t (bucket, win, used, granted)
       VALUES ($1, $2::bigint, LEAST($3::bigint, $4::bigint), LEAST($3::bigint, $4::bigint))
       ON CONFLICT (bucket) DO UPDATE SET
         used = CASE WHEN t.win = $2::bigint THEN LEAST($4::bigint, t.used + $3::bigint)
                ELSE LEAST($4::bigint, $3::bigint) END,
         granted = CASE WHEN t.win = $2::bigint THEN LEAST($4::bigint, t.used + $3::bigint) - t.used
                   ELSE LEAST($4::bigint, $3::bigint) END,
         win = $2::bigint
       RETURNING used::text, granted::text`,
      [bucket, s.window * this.windowMs, want, this.limit],
    );
    const granted = Number(rows[0].granted);
    s.used = Number(rows[0].used);
    s.left += granted;
    if (granted === 0) s.full = true;
    // Amortised clean-up of this limit's keys idle since the window before.
    if (++this.reservations % 256 === 0) {
      await this.db.query(
        "DELETE FROM gateway_rate_limits WHERE starts_with(bucket, $1) AND win < $2::bigint",
        [`${this.name}:`, (s.window - 1) * this.windowMs],
      );
    }
  }

  private sweep(window: number) {
    for (const [k, s] of this.states) if (s.window !== window && !s.pending) this.states.delete(k);
  }
}

/**
 * A fixed-window limiter kept in this process's memory, for a service that runs as one process by design
 * (the relayer: one account sends its transactions, so two relayers would race for its nonces).
 */
export class ProcessRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  readonly limit: number;
  readonly windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts one request for `key`; false when the key is over its limit in this window. */
  take(key: string, now = Date.now()): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 100_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.limit;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
