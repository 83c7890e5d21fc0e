/**
 * True when a process with this pid runs on this machine. `kill(pid, 0)` sends nothing; EPERM
 * means the process exists but belongs to someone else.
 *
 * @example
 * processIsAlive(process.pid); // true
 */
export function processIsAlive(pid: number): boolean {
  // 0 and negative pids address process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
