import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { installWheels, recoverEnvironment, venvScheme } from "../../src/installer/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { realWheel } from "../support/real-wheels.js";
import { environmentSnapshot } from "./environment-snapshot.js";
import { makeWheel } from "./make-wheel.js";

// How many interrupted installs to try; each one is a child process.
const runs = Number(process.env.KILN_KILL_RUNS ?? 8);
const child = fileURLToPath(new URL("./install-child.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const temporary = mkdtempSync(join(tmpdir(), "kiln-kill-"));
after(() => rmSync(temporary, { recursive: true, force: true }));

/** A big synthetic wheel: many files, so a kill lands in the middle of staging or committing. */
function bigWheel(version: string, offset: number): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 600; i++) files[`big/m${Math.floor((i + offset) / 50)}/f${i + offset}.py`] = `# ${version} ${i}\n${"x = 1\n".repeat(200)}`;
  files["big/__init__.py"] = `VERSION = "${version}"\n`;
  const { bytes, filename } = makeWheel({ name: "big", version, files, entryPoints: `[console_scripts]\nbig-${version} = big:main\nbig = big:main\n` });
  const path = join(temporary, filename);
  writeFileSync(path, bytes);
  return path;
}

interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the installer in a child; kills it `killAfterMs` after it starts installing, if given. */
function runChild(options: { prefix: string; wheels: string[]; killBeforeOperation?: number; cacheRoot?: string }, killAfterMs?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ["--import", "tsx", child, JSON.stringify(options)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    process_.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (killAfterMs !== undefined && stdout.startsWith("start\n") && !stdout.includes("armed")) {
        stdout += "armed\n";
        setTimeout(() => process_.kill("SIGKILL"), killAfterMs);
      }
    });
    process_.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    process_.on("error", reject);
    process_.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test(`an install killed at random points (${runs} runs) always recovers to the old or the new environment`, { timeout: 30 * 60_000 }, async () => {
  const fs = nodeFileSystem();
  const prefix = join(temporary, "env");
  const scheme = venvScheme(prefix, "3.14");
  const template = join(temporary, "template");
  const oldWheels = [bigWheel("1.0", 0), realWheel("iniconfig")];
  const newWheels = [bigWheel("2.0", 300), realWheel("pytest"), realWheel("pluggy")];
  mkdirSync(template);
  await installWheels(oldWheels.map((path) => ({ wheel: new Uint8Array(readFileSync(path)), filename: path.split("/").at(-1)!, requested: true })), { scheme: venvScheme(template, "3.14"), fs });

  // The new state, and how many file-system changes a full install makes, from one clean run.
  const restore = () => {
    rmSync(prefix, { recursive: true, force: true });
    cpSync(template, prefix, { recursive: true });
  };
  restore();
  const oldState = environmentSnapshot(prefix);
  const started = performance.now();
  const clean = await runChild({ prefix, wheels: newWheels });
  const duration = performance.now() - started;
  assert.equal(clean.code, 0, clean.stderr);
  const totalOperations = Number(/done (\d+)/.exec(clean.stdout)![1]);
  const newState = environmentSnapshot(prefix);
  assert.notDeepEqual(newState, oldState);

  const outcomes = { old: 0, new: 0, killedWhileCommitting: 0 };
  for (let run = 0; run < runs; run++) {
    restore();
    // Alternate: a kill from outside after a random delay, and a kill at a random file-system step.
    const byStep = run % 2 === 1;
    // Half the runs install through an unpacked-wheel cache (cold the first time, so a kill can
    // land while an entry is built, warm after): linking must keep the same guarantees.
    const cached = run % 4 >= 2 ? { cacheRoot: join(temporary, "wheel-cache") } : {};
    const step = 1 + Math.floor(Math.random() * totalOperations);
    const result = byStep
      ? await runChild({ prefix, wheels: newWheels, killBeforeOperation: step, ...cached })
      : await runChild({ prefix, wheels: newWheels, ...cached }, Math.random() * duration);
    const label = `run ${run}${cached.cacheRoot ? " with a wheel cache" : ""} ${byStep ? `(killed before step ${step} of ${totalOperations})` : "(killed by timer)"}`;
    if (result.signal !== "SIGKILL") {
      assert.equal(result.code, 0, `${label}: ${result.stderr}`);
    }
    const state = join(prefix, ".kiln-install");
    if (existsSync(state) && readdirSync(state).some((name) => name.startsWith("tx-") && existsSync(join(state, name, "plan.json")) && !existsSync(join(state, name, "committed")))) {
      outcomes.killedWhileCommitting++;
    }
    // The stale lock of the dead child must not block recovery.
    await recoverEnvironment({ scheme, fs, lockTimeoutMs: 5_000 });
    const recovered = environmentSnapshot(prefix);
    if (JSON.stringify(recovered) === JSON.stringify(oldState)) outcomes.old++;
    else if (JSON.stringify(recovered) === JSON.stringify(newState)) outcomes.new++;
    else assert.fail(`${label}: the environment is neither the old nor the new state`);
    assert.deepEqual(readdirSync(state), [], `${label}: nothing is left in the state directory`);
    // And the next install succeeds.
    const again = await runChild({ prefix, wheels: newWheels, ...cached });
    assert.equal(again.code, 0, `${label}, reinstall: ${again.stderr}`);
    assert.deepEqual(environmentSnapshot(prefix), newState, `${label}: reinstall gives the new state`);
  }
  // Report what the runs covered; the mixed case above is what the test guards.
  console.log(`kill test: ${JSON.stringify(outcomes)} over ${runs} runs; ${totalOperations} file-system steps per install`);
});
