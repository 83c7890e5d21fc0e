import { readdirSync, readlinkSync } from "node:fs";

/**
 * Whether another process holds the same open file as this process's descriptor `fd`, as far as
 * Linux's /proc lets this process see: a flag set on a shared open file (O_NONBLOCK, say) is seen
 * by every holder. Meant for sockets, whose /proc link (`socket:[inode]`) names the socket: a
 * socket cannot be opened again through /proc, so every descriptor of it shares one open file.
 * (A pipe's link names the pipe, which other processes may hold through open files of their own.)
 *
 * Processes whose descriptors this one may not read (another user's) are not counted: such a
 * process holds this one's stdin only if it handed it over across a change of user, and then
 * does not read it. Answers true when /proc cannot be read at all.
 *
 * @example
 * if (fstatSync(0).isSocket() && !heldByAnotherProcess(0)) makeNonBlocking(0);
 */
export function heldByAnotherProcess(fd: number): boolean {
  let target: string;
  let pids: string[];
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
    pids = readdirSync("/proc");
  } catch {
    return true;
  }
  const self = String(process.pid);
  for (const pid of pids) {
    if (pid === self || !/^\d+$/.test(pid)) continue;
    let entries: string[];
    try {
      entries = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // Gone meanwhile, or another user's.
      continue;
    }
    for (const entry of entries) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${entry}`) === target) return true;
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return false;
}
