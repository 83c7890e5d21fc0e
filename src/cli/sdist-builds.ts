import { readFile } from "../platform/node-fs-promises.js";
import { isKilnError, type Reporter } from "../core/index.js";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { parseBinaryPolicy, type BinaryPolicy, type SdistMetadataProvider } from "../resolver/index.js";
import type { BuildTools } from "./build-tools.js";
import type { CommandContext, OptionDefinition } from "./command.js";

/** `--only-binary` and `--no-binary`, as pip spells them. */
export const binaryOptions: OptionDefinition[] = [
  { name: "only-binary", type: "string", multiple: true, valueName: "NAMES", description: "Never build sdists of these (comma-separated names, :all: or :none:)" },
  { name: "no-binary", type: "string", multiple: true, valueName: "NAMES", description: "Build these from their sdists, not wheels (comma-separated names, :all: or :none:)" },
];

/**
 * The command's `--only-binary`/`--no-binary`, or undefined when neither is given.
 *
 * @example
 * binaryPolicyOf(context); // { onlyBinary: Set {":all:"}, noBinary: Set {} }
 */
export function binaryPolicyOf(context: CommandContext): BinaryPolicy | undefined {
  const list = (name: string) => {
    const value = context.arguments.options[name];
    return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
  };
  const onlyBinary = list("only-binary");
  const noBinary = list("no-binary");
  return onlyBinary.length || noBinary.length ? parseBinaryPolicy({ onlyBinary, noBinary }) : undefined;
}

/** The resolver's and the installer's access to builds of index sdists. */
export interface SdistBuilds {
  /** For the resolver: metadata via `prepare_metadata_for_build_wheel`, cached by the sdist's sha256. */
  provider: SdistMetadataProvider;
  /** For the installer: the sdist's wheel, built once and cached by the sdist's sha256. */
  buildSdist(file: DistributionFile, sdist: Uint8Array): Promise<{ wheel: Uint8Array; filename: string }>;
}

/**
 * Connects the resolver's {@link SdistMetadataProvider} and the installer's sdist builder to
 * src/build, which is loaded only when something is built. Builds run one at a time: each hook starts a WASM runtime, and two machines' worth
 * of runtimes at once only slow each other down. A build that fails for another reason than
 * needing a compiler (which the resolver handles) prints the backend's held-back output.
 *
 * @example
 * const builds = sdistBuilds(tools, { source, reporter });
 * await planInstall(request, { …, sdists: builds.provider });
 */
export function sdistBuilds(tools: BuildTools, options: { source: PackageSource; reporter: Reporter }): SdistBuilds {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next.catch((error: unknown) => {
      if (!isKilnError(error, "nativeBuildUnsupported")) tools.flushOutput();
      throw error;
    });
  };
  const common = () => ({ environment: tools.environment, runner: tools.runner, wheelCache: tools.wheelCache, workDir: tools.scratch() });
  return {
    provider: {
      metadata: (file) =>
        serial(async () => {
          const sdist = await options.source.fetchFile(file);
          options.reporter.info(`Preparing metadata of ${file.filename} (no wheel for this platform)`);
          const { prepareSdistMetadata } = await import("../build/index.js");
          return prepareSdistMetadata({ ...common(), sdist, filename: file.filename });
        }),
    },
    buildSdist: (file, sdist) =>
      serial(async () => {
        const { buildSdistWheel } = await import("../build/index.js");
        const built = await buildSdistWheel({ ...common(), sdist, filename: file.filename });
        options.reporter.info(built.cached ? `Using the wheel built earlier from ${file.filename}: ${built.filename}` : `Built ${built.filename} from ${file.filename}`);
        return { wheel: new Uint8Array(await readFile(built.path)), filename: built.filename };
      }),
  };
}
