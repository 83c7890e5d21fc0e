import { strict as assert } from "node:assert";
import { test } from "node:test";
import { directReference, pinnedRequirement } from "./pip-installed-details.js";

test("directReference writes pip's name @ URL line, with the archive's hash and subdirectory as the fragment", () => {
  const cases: Array<[Parameters<typeof directReference>[0], string]> = [
    [{ url: "file:///w/a-1.0-py3-none-any.whl", archive_info: { hash: "sha256=ab", hashes: { sha256: "ab" } } }, "a @ file:///w/a-1.0-py3-none-any.whl#sha256=ab"],
    [{ url: "https://h/a-1.0.tar.gz", archive_info: { hashes: { sha512: "cd", sha256: "ab" } } }, "a @ https://h/a-1.0.tar.gz#sha512=cd"],
    [{ url: "https://h/a-1.0.tar.gz", archive_info: { hash: "md5=ef" } }, "a @ https://h/a-1.0.tar.gz#md5=ef"],
    [{ url: "https://h/a-1.0.tar.gz", archive_info: {} }, "a @ https://h/a-1.0.tar.gz"],
    [{ url: "file:///w/project", dir_info: {} }, "a @ file:///w/project"],
    [{ url: "https://github.com/o/a", vcs_info: { vcs: "git", commit_id: "123" }, subdirectory: "sub" }, "a @ git+https://github.com/o/a@123#subdirectory=sub"],
  ];
  for (const [direct, expected] of cases) assert.equal(directReference(direct, "a"), expected);
});

test("pinnedRequirement normalizes the version as pip's freeze does, and falls back to ===", () => {
  assert.equal(pinnedRequirement("Demo", "1.0.0-beta"), "Demo==1.0.0b0");
  assert.equal(pinnedRequirement("Demo", "2.1"), "Demo==2.1");
  assert.equal(pinnedRequirement("Demo", "not a version"), "Demo===not a version");
});
