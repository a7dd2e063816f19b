import { describe, expect, it } from "vitest";
import { readArtifactFile, resolveArtifactPath } from "./artifact-store";
import { assertKey, LocalArtifactStore } from "./store";

const ROOT = "/srv/artifacts";

describe("resolveArtifactPath", () => {
  it("resolves a relative path under the root", () => {
    expect(resolveArtifactPath("run1/step-0.png", ROOT)).toBe("/srv/artifacts/run1/step-0.png");
  });

  it.each(["../etc/passwd", "run1/../../etc/passwd", "/etc/passwd", "", ".", "run1/\0x", "run1/../.."])("refuses %j", (p) => {
    expect(() => resolveArtifactPath(p, ROOT)).toThrow(/Invalid artifact path/);
  });

  it("readArtifactFile refuses traversal before touching the disk", async () => {
    await expect(readArtifactFile("../../etc/passwd", new LocalArtifactStore(ROOT))).rejects.toThrow(/Invalid artifact path/);
  });

  it.each(["../etc/passwd", "run1/../../etc/passwd", "/etc/passwd", "", ".", "run1/\0x", "run1/../..", "a//b", "a\\b"])("assertKey refuses %j", (p) => {
    expect(() => assertKey(p)).toThrow(/Invalid artifact path/);
  });

  it("assertKey accepts a run's file key", () => {
    expect(() => assertKey("run1/step-0.png")).not.toThrow();
  });
});
