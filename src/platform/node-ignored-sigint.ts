/**
 * SIGINT ignored when the process started, as a non-interactive shell ignores it for a background
 * job (`sh -c 'bin/python script.py &'`): python3 then leaves it ignored (`signal.getsignal`
 * gives `SIG_IGN`, ^C does nothing). Node sets every signal back to its default before any
 * JavaScript runs, so only the shell launcher can see it: it reads its own `SigIgn` mask from
 * /proc (Linux; elsewhere nothing is known) just before `exec node …`, which keeps what is
 * ignored, and tells kiln through {@link sigintIgnoredVariable} (always set anew, so a value from
 * outside is never taken for the launcher's).
 */
import { sigintIgnoredVariable } from "../runtime/index.js";

/**
 * The shell lines a launcher runs before `exec node …` (POSIX `sh`): SIGINT is bit 2 of `SigIgn`.
 *
 * @example
 * [ "#!/bin/sh", inheritedSigintShell, "exec node …" ].join("\n");
 */
export const inheritedSigintShell = [
  `unset ${sigintIgnoredVariable}`,
  `if [ -r /proc/$$/status ]; then while read -r key value; do case $key in SigIgn:) [ $((0x$value & 2)) -eq 0 ] || export ${sigintIgnoredVariable}=1; break;; esac; done < /proc/$$/status; fi`,
].join("\n");
