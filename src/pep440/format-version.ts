import { VersionValue, type Version } from "./version.js";

/**
 * The normalized text of a version (`packaging`'s `str(Version)`): `[N!]N(.N)*[{a|b|rc}N][.postN]
 * [.devN][+local]`. `parseVersion(formatVersion(v))` equals `v`.
 *
 * @example
 * formatVersion(parseVersion("1.0-c1_DEV")); // "1.0rc1.dev0"
 */
export function formatVersion(version: Version): string {
  const exact = VersionValue.exactTextOf(version);
  if (exact !== undefined) return exact;
  let text = version.epoch === 0 ? "" : `${version.epoch}!`;
  text += version.release.join(".");
  if (version.pre !== undefined) text += version.pre[0] + version.pre[1];
  if (version.post !== undefined) text += `.post${version.post}`;
  if (version.dev !== undefined) text += `.dev${version.dev}`;
  if (version.local !== undefined) text += `+${version.local.join(".")}`;
  return text;
}
