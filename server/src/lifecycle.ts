/**
 * A process's life as a supervisor sees it: it stops cleanly on SIGTERM, SIGINT and SIGHUP (a closed
 * terminal), and it never outlives the process that started it — however that one died, SIGKILL included.
 * Node has no portable parent-death signal (Linux's prctl PR_SET_PDEATHSIG needs native code), so the
 * watch is the portable one: when the parent dies the kernel gives the child a new parent (init or a
 * subreaper), so `process.ppid` changes; it is polled twice a second. A pipe from the parent (a child's
 * stdin) closing is noticed at once where there is one.
 *
 * Also: who holds a TCP port (Linux, from /proc), so that a start that finds its port taken by a previous
 * run can say which process it is and how to stop it.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Calls `onGone` once when this process's parent is gone: its pid is no longer our parent's, or (with
 * `stdin: true`) our stdin, a pipe from it, reached its end. Returns a function that stops watching.
 */
export function watchParent(
  onGone: (why: string) => void,
  options: { intervalMs?: number; stdin?: boolean } = {},
): () => void {
  const parent = process.ppid;
  let fired = false;
  const fire = (why: string) => {
    if (fired) return;
    fired = true;
    stop();
    onGone(why);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) fire(`its parent process (pid ${parent}) is gone`);
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
      if (parseInt(f[1]!.split(":")[1]!, 16) === port) inodes.add(f[9]!);
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
        if (inode && inodes.has(inode)) return { pid: Number(pid), command: commandOf(Number(pid)) };
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
