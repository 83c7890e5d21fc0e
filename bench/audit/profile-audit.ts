// Where `kiln audit` spends its time on given wheels: the library (as the CLI runs it on Node,
// with Node's zlib codecs) warm, three runs per wheel. Profile with:
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/audit/profile-audit.ts WHEEL...
import { readFileSync } from "node:fs";
import { auditTarget, openWheelTarget } from "../../src/audit/index.js";
import { nodeSha256Hex } from "../../src/cli/commands/audit.js";
import { nodeZipCodecs } from "../../src/platform/node-zip-codecs.js";
import { bundledManifest } from "../../test/audit/support.js";

const manifest = await bundledManifest();
for (const wheel of process.argv.slice(2)) {
  const bytes = readFileSync(wheel);
  const audit = async () => auditTarget(await openWheelTarget(wheel, bytes, { codecs: nodeZipCodecs }), { manifest, sha256Hex: nodeSha256Hex });
  await audit();
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    await audit();
    times.push(performance.now() - start);
  }
  console.log(wheel.split("/").pop(), times.map((time) => `${time.toFixed(0)} ms`).join(" "));
}
