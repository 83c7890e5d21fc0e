import { strict as assert } from "node:assert";
import { hostPackageVersion } from "../support/host-python.js";

/** The `packaging` release the differential tests compare against (pinned in .ci/requirements.txt). */
export const packagingVersion = "26.3";

/** Fails the calling test unless the host has the pinned `packaging`. */
export function assertHostPackaging(): void {
  assert.equal(
    hostPackageVersion("packaging"),
    packagingVersion,
    `differential tests need packaging==${packagingVersion} on the host Python (pip install -r .ci/requirements.txt)`,
  );
}
