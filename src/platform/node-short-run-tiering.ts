/**
 * V8's tiering for a short, loop-heavy command (`kiln audit`, `kiln pip`): optimise later, so only
 * the loops that run long are compiled by the optimising compiler.
 */
import { createRequire } from "node:module";

/**
 * The interrupt budget (bytecode executed between tiering decisions) for a short command: about
 * 15 times V8 11's default (67 584). With the default, `kiln audit` of 13 real wheels compiled
 * its per-import loops with TurboFan 76 times (linkImports alone 7 times, deoptimised and
 * recompiled as it met new object shapes): ~17 % of the process's CPU went to the optimising
 * compiler, more than the optimised code saved in a run of about a second. A warm `kiln pip
 * install` of 29 wheels: 213 → 179 ms of CPU (medians of 12); the same with every wheel unpacked
 * again (`--no-cache-dir`): 630 → 509 ms.
 */
const shortRunInterruptBudget = 1_000_000;

/**
 * Tells V8 to tier up later for the rest of this process, where that was measured to help: V8 11
 * (Node 20). Elsewhere (a V8 with other tiers and budgets) nothing changes. Call it before the
 * command's hot code first runs; it changes only when code is compiled, never what it computes.
 *
 * @example
 * preferShortRunTiering(); // then audit the wheels
 */
export function preferShortRunTiering(): void {
  const flags = shortRunTieringFlags();
  if (flags === undefined) return;
  const { setFlagsFromString } = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  setFlagsFromString(flags);
}

/**
 * The V8 flags {@link preferShortRunTiering} sets, or undefined where it sets none: for a caller
 * that must set them at a chosen moment (before a code cache is checked: V8 refuses a cache made
 * under other flags) and keep them with what it caches.
 *
 * @example
 * shortRunTieringFlags(); // "--interrupt-budget=1000000" on Node 20 (V8 11)
 */
export function shortRunTieringFlags(): string | undefined {
  return /^11\./.test(process.versions.v8) ? `--interrupt-budget=${shortRunInterruptBudget}` : undefined;
}
