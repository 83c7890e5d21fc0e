/**
 * Seeded generators of requirement and marker strings for differential tests: well-formed ones
 * built from the grammar with its corner cases, and mutations of those that are mostly invalid.
 */

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

const names = ["foo", "Foo.Bar", "a", "A9", "zope.interface", "typing_extensions", "foo-", "foo_", "x--y", "pkg2", "9lives"];
const extras = ["test", "Dev_Tools", "doc", "a.b", "X"];
const specifiers = [
  ">=1.0", "<2", "==1.0.*", "!=1.5", "~=1.4.5", "===1.0-weird", "==1.0+local.1", ">1.0rc1", "<=2.0.post1",
  "== 1.0", ">= 1.0 ", "~=1", "==1.0a1.*", ">=1.0+local", ">=v1.0", "==1!2.0", "<3.0.dev0", "!=1.*",
];
const variables = [
  "python_version", "python_full_version", "os_name", "os.name", "sys_platform", "sys.platform", "platform_release",
  "platform_system", "platform_version", "platform_machine", "platform.machine", "platform_python_implementation",
  "python_implementation", "implementation_name", "implementation_version", "extra",
];
const values = [
  "3.9", "3.14", "3.13.2", "3", "3.14.*", "5.0.3", "4.0.9", "6", "emscripten", "linux", "win32", "posix", "nt",
  "wasm32", "x86_64", "Emscripten", "Linux", "CPython", "cpython", "test", "Dev_Tools", "doc", "#1", "", "3.9-x", "wasm",
];
const operators = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"];
const spaces = ["", " ", "  ", "\t"];

function pick<T>(random: (n: number) => number, items: readonly T[]): T {
  return items[random(items.length)]!;
}

function quote(random: (n: number) => number, value: string): string {
  return random(2) === 0 ? `"${value}"` : `'${value}'`;
}

function comparison(random: (n: number) => number): string {
  const variable = pick(random, variables);
  const value = quote(random, pick(random, values));
  const operator = pick(random, operators);
  const s = () => pick(random, spaces);
  const reversed = random(5) === 0;
  return reversed ? `${value}${s()}${operator}${s()}${variable}` : `${variable}${s()}${operator}${s()}${value}`;
}

/** A random marker expression with nested groups. */
export function generateMarker(random: (n: number) => number, depth = 0): string {
  const terms = 1 + random(depth === 0 ? 4 : 3);
  const parts: string[] = [];
  for (let index = 0; index < terms; index++) {
    if (index > 0) parts.push(random(2) === 0 ? " and " : " or ");
    parts.push(depth < 2 && random(4) === 0 ? `(${generateMarker(random, depth + 1)})` : comparison(random));
  }
  return parts.join("");
}

/** A random requirement string: name, extras, specifiers or URL, marker. */
export function generateRequirement(random: (n: number) => number): string {
  const s = () => pick(random, spaces);
  let text = s() + pick(random, names) + s();
  if (random(3) === 0) {
    const chosen = Array.from({ length: random(3) }, () => pick(random, extras));
    text += `[${s()}${chosen.join(`${s()},${s()}`)}${s()}]${s()}`;
  }
  if (random(5) === 0) {
    text += `@${s()}${pick(random, ["https://example.com/foo-1.0.tar.gz", "file:///tmp/x.whl", "git+https://g/r@v1#egg=x"])}`;
    if (random(2) === 0) text += ` ;${s()}${generateMarker(random)}`;
    return text;
  }
  const count = random(4);
  const chosen = Array.from({ length: count }, () => pick(random, specifiers)).join(`${s()},${s()}`);
  text += random(4) === 0 && count > 0 ? `(${chosen})` : chosen;
  if (random(2) === 0) text += `${s()};${s()}${generateMarker(random)}`;
  return text + s();
}

const mutationCharacters = [..."[](),;@<>=!~.*+-_'\" \tab19\\"];

/** `text` with one to three random edits: deletions, insertions, duplications, swaps. */
export function mutate(random: (n: number) => number, text: string): string {
  let result = text;
  for (let edits = 1 + random(3); edits > 0; edits--) {
    const at = random(result.length + 1);
    switch (random(4)) {
      case 0:
        result = result.slice(0, at) + result.slice(at + 1);
        break;
      case 1:
        result = result.slice(0, at) + pick(random, mutationCharacters) + result.slice(at);
        break;
      case 2: {
        const end = Math.min(result.length, at + 1 + random(6));
        result = result.slice(0, end) + result.slice(at, end) + result.slice(end);
        break;
      }
      default:
        if (at + 1 < result.length) result = result.slice(0, at) + result[at + 1] + result[at] + result.slice(at + 2);
    }
  }
  return result;
}
