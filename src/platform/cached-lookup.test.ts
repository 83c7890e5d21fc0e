import { strict as assert } from "node:assert";
import type { LookupAddress } from "node:dns";
import { test } from "node:test";
import { cachedLookup } from "./cached-lookup.js";

const addresses: LookupAddress[] = [
  { address: "2001:db8::1", family: 6 },
  { address: "192.0.2.1", family: 4 },
];

function ask(lookup: ReturnType<typeof cachedLookup>, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ error: unknown; address: unknown; family: unknown }>((resolve) =>
    lookup("pypi.org", options as never, (error, address, family) => resolve({ error, address, family })),
  );
}

test("cachedLookup: concurrent and later lookups share one query; answers honour all and family", async () => {
  let queries = 0;
  const lookup = cachedLookup({ resolve: async () => (queries++, addresses) });
  const answers = await Promise.all([ask(lookup), ask(lookup, { all: true }), ask(lookup, { family: 4 })]);
  assert.equal(queries, 1);
  assert.deepEqual(answers.map((a) => a.address), ["2001:db8::1", addresses, "192.0.2.1"]);
  assert.deepEqual(answers.map((a) => a.family), [6, undefined, 4]);
  await ask(lookup);
  assert.equal(queries, 1);
});

test("cachedLookup: a failure is reported and not kept; answers expire after the TTL", async () => {
  let queries = 0;
  let clock = 0;
  const lookup = cachedLookup({
    ttlMs: 1000,
    now: () => clock,
    resolve: async () => {
      queries++;
      if (queries === 1) throw Object.assign(new Error("getaddrinfo EAI_AGAIN pypi.org"), { code: "EAI_AGAIN" });
      return addresses;
    },
  });
  assert.match(String((await ask(lookup)).error), /EAI_AGAIN/);
  assert.equal((await ask(lookup)).address, "2001:db8::1");
  clock = 999;
  await ask(lookup);
  assert.equal(queries, 2);
  clock = 1000;
  await ask(lookup);
  assert.equal(queries, 3);
});

test("cachedLookup: no address of the asked family is ENOTFOUND", async () => {
  const lookup = cachedLookup({ resolve: async () => [addresses[1]!] });
  assert.equal((await ask(lookup, { family: 6 })).error && ((await ask(lookup, { family: 6 })).error as NodeJS.ErrnoException).code, "ENOTFOUND");
});
