/**
 * A process's life as a supervisor sees it: it stops cleanly on SIGTERM, SIGINT and SIGHUP (a closed
 * terminal), and it never outlives the process that started it — however that one died, SIGKILL included.
 * Node has no portable parent-death signal (Linux's prctl PR_SET_PDEATHSIG needs native code), so the
 * watch is the portable one: when the parent dies the kernel gives the child a new parent (init or a
 * subreaper), so `process.ppid` changes; it is polled twice a second, and so is whether npm (behind the
 * `sh -c` it runs scripts with) still runs. A pipe from the parent (a child's stdin) closing is noticed at
 * once where there is one. `scripts/exitWithParent.ts` gives the same watch to programs that are not
 * ours (the chain, the dApp's server), preloaded with `node --import`.
 *
 * Also: who holds a TCP port (Linux, from /proc), so that a start that finds its port taken by a previous
 * run can say which process it is and how to stop it.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Linux: a process's parent pid, start time and short name, from /proc (undefined elsewhere or gone). */
function procStat(pid: number): { ppid: number; started: string; comm: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), started: fields[19], comm };
  } catch {
    return undefined;
  }
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ash", "ksh", "busybox"]);

/** Whether `pid` still runs (and, when known, is still the process that started at `started`). */
function stillRuns(pid: number, started: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (started === undefined) return true;
  const now = procStat(pid);
  // A start time is known only where /proc is: there, no entry means gone; another time, a reused pid.
  return now !== undefined && now.started === started;
}

/**
 * The processes this one must not outlive: its parent and, when the parent is a shell (`npm run x` runs
 * `sh -c "node …"`, and the shell stays as the node process's parent), the shell's parent too — npm,
 * whose SIGKILL leaves the shell waiting on this process.
 */
export function watchedAncestors(): { pid: number; started?: string; comm?: string }[] {
  const parent = process.ppid;
  const first = procStat(parent);
  const watched: { pid: number; started?: string; comm?: string }[] = [
    { pid: parent, started: first?.started, comm: first?.comm },
  ];
  if (first && SHELLS.has(first.comm) && first.ppid > 1) {
    const grand = procStat(first.ppid);
    watched.push({ pid: first.ppid, started: grand?.started, comm: grand?.comm });
  }
  return watched;
}

/**
 * Calls `onGone` once when a process this one must not outlive is gone (watchedAncestors: the parent,
 * and npm behind a `sh -c`): this process got a new parent, or an ancestor no longer runs — however it
 * died, SIGKILL included. With `stdin: true`, also when our stdin, a pipe from the parent, reaches its
 * end. Polled every `intervalMs` (default 500). Returns a function that stops watching.
 */
export function watchParent(
  onGone: (why: string) => void,
  options: { intervalMs?: number; stdin?: boolean } = {},
): () => void {
  const parent = process.ppid;
  const ancestors = watchedAncestors();
  let fired = false;
  const fire = (why: string) => {
    if (fired) return;
    fired = true;
    stop();
    onGone(why);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) return fire(`its parent process (pid ${parent}) is gone`);
    for (const a of ancestors) {
      if (!stillRuns(a.pid, a.started)) {
        return fire(
          `the process that started it (pid ${a.pid}${a.comm ? `, ${a.comm}` : ""}) is gone`,
        );
      }
    }
  }, options.intervalMs ?? 500);
  timer.unref();
  const onEnd = () => fire(`its parent process (pid ${parent}) closed the pipe to it`);
  if (options.stdin) {
    process.stdin.on("end", onEnd);
    process.stdin.on("error", onEnd);
    process.stdin.resume();
  }
  function stop() {
    clearInterval(timer);
    if (options.stdin) {
      process.stdin.off("end", onEnd);
      process.stdin.off("error", onEnd);
      process.stdin.pause();
      process.stdin.unref?.();
    }
  }
  return stop;
}

/** The command line of a process (Linux), shortened. */
export function commandOf(pid: number): string | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return argv.join(" ").slice(0, 160) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The process listening on a TCP port on this machine, when it can be found (Linux: the socket's inode
 * in /proc/net/tcp{,6}, then the process holding it); undefined elsewhere or when it cannot be seen.
 */
export function portHolder(port: number): { pid: number; command?: string } | undefined {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT" in hex; state 0A is LISTEN.
      if (f.length < 10 || f[3] !== "0A") continue;
      if (parseInt(f[1].split(":")[1], 16) === port) inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode))
          return { pid: Number(pid), command: commandOf(Number(pid)) };
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** "Port 8600 is in use by pid 123 (`node server/src/main.ts`): stop it with `kill -TERM 123`…". */
export function describePortInUse(port: number, host: string, hint: string): string {
  const holder = portHolder(port);
  return holder
    ? `Port ${port} on ${host} is in use by pid ${holder.pid}${holder.command ? ` (\`${holder.command}\`)` : ""}, probably a previous run still going: stop it (kill -TERM ${holder.pid}), or ${hint}.`
    : `Port ${port} on ${host} is already in use, probably by a previous run still going: find it (\`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\`) and stop it, or ${hint}.`;
}
