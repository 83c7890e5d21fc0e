/**
 * What an Emscripten loader script (`pyodide.asm.mjs`/`.js`) offers side modules, read from its
 * text: the keys of its `wasmImports` object (the JavaScript library functions, plus tags and
 * globals it creates), and the symbol prefixes its `resolveGlobalSymbol` synthesises on demand
 * (`invoke_` for JavaScript exception handling, `__cxa_find_matching_catch_`).
 */
export interface LoaderSymbols {
  javascript: string[];
  dynamicPrefixes: string[];
}

/**
 * Reads the loader's offered symbols. Returns empty lists when the script has no `wasmImports`
 * object literal (a loader kiln does not understand), so the caller can say so.
 *
 * @example
 * readLoaderSymbols("var wasmImports={a:_a,b};") // { javascript: ["a", "b"], dynamicPrefixes: [] }
 */
export function readLoaderSymbols(script: string): LoaderSymbols {
  const match = /(?:var\s+|[,;{}\s])(?:wasmImports|asmLibraryArg)\s*=\s*\{/.exec(script);
  const javascript = match ? objectKeys(script, match.index + match[0].length) : [];
  const resolver = /resolveGlobalSymbol\s*=\s*\(?[^)]*\)?\s*=>\s*\{/.exec(script) ?? /function\s+resolveGlobalSymbol\s*\([^)]*\)\s*\{/.exec(script);
  const body = resolver ? script.slice(resolver.index, resolver.index + 4000) : "";
  const prefixes = [...body.slice(0, closingBrace(body, body.indexOf("{") + 1)).matchAll(/startsWith\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
  return { javascript: [...new Set(javascript)].sort(), dynamicPrefixes: [...new Set(prefixes)].sort() };
}

/** Keys of an object literal whose body starts at `start` (just after `{`). */
function objectKeys(script: string, start: number): string[] {
  const end = closingBrace(script, start);
  const keys: string[] = [];
  let depth = 0;
  let entryStart = start;
  for (let index = start; index <= end; index++) {
    const char = script[index];
    if (char === '"' || char === "'" || char === "`") {
      index = skipString(script, index);
      continue;
    }
    if (char === "{" || char === "(" || char === "[") depth++;
    else if (char === "}" || char === ")" || char === "]") depth--;
    if ((char === "," && depth === 0) || index === end) {
      const entry = script.slice(entryStart, index).trim();
      const key = /^["']?([A-Za-z_$][\w$]*)["']?\s*(?::|$)/.exec(entry)?.[1];
      if (key) keys.push(key);
      entryStart = index + 1;
    }
  }
  return keys;
}

/** Index of the `}` closing the block whose body starts at `start`, skipping strings. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '"' || char === "'" || char === "`") {
      index = skipString(text, index);
      continue;
    }
    if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return index;
  }
  return text.length;
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === quote) return index;
  }
  return text.length;
}
