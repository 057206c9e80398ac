/**
 * Backfill progress: a progress bar (blocks, events per second, ETA) on a terminal, one structured log
 * line per committed chunk otherwise.
 */
import cliProgress from "cli-progress";
import type { Logger } from "../log.ts";
import type { ProgressListener } from "./follower.ts";

/** Events per second over the last few seconds. */
function rate() {
  const samples: { at: number; events: number }[] = [];
  return (events: number) => {
    const now = Date.now();
    samples.push({ at: now, events });
    while (samples.length > 1 && now - samples[0].at > 5_000) samples.shift();
    const total = samples.reduce((sum, s) => sum + s.events, 0) - samples[0].events;
    const seconds = (now - samples[0].at) / 1000;
    return seconds > 0 ? Math.round(total / seconds) : 0;
  };
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressListener {
  let bar: cliProgress.SingleBar | null = null;
  let events = 0;
  const perSecond = rate();
  return {
    committed({ startBlock, checkpoint, target, events: added }) {
      events += added;
      const total = Number(target - startBlock + 1n);
      const value = Number(checkpoint - startBlock + 1n);
      const payload = { events: events.toLocaleString("en"), eps: perSecond(added) };
      if (!bar) {
        // Only a backfill gets a bar; following the head one block at a time does not.
        if (total - value < 10) return;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format:
              "Backfill {bar} {percentage}% | blocks {value}/{total} | {events} events | {eps} events/s | ETA {eta_formatted}",
            etaBuffer: 50,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, value, payload);
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    caughtUp() {
      bar?.stop();
      bar = null;
    },
    stopped() {
      bar?.stop();
      bar = null;
    },
  };
}

export function progressLog(log: Logger): ProgressListener {
  let events = 0;
  const perSecond = rate();
  return {
    committed({ startBlock, checkpoint, target, events: added }) {
      events += added;
      const done = Number(checkpoint - startBlock + 1n);
      const total = Number(target - startBlock + 1n);
      log.info(
        {
          block: checkpoint,
          target,
          events: added,
          totalEvents: events,
          eventsPerSecond: perSecond(added),
          percent: total > 0 ? Math.floor((done / total) * 1000) / 10 : 100,
        },
        "indexed",
      );
    },
    caughtUp() {},
    stopped() {},
  };
}
