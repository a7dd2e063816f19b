import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedUpload, mimeTypeOf, resolveUpload } from "./upload";

let dir: string;
let outside: string;
beforeAll(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pacts-upload-"));
  dir = path.join(root, "tests");
  outside = path.join(root, "secret.txt");
  fs.mkdirSync(path.join(dir, "files"), { recursive: true });
  fs.writeFileSync(path.join(dir, "files", "report.pdf"), "%PDF-1.4 real");
  fs.writeFileSync(outside, "do not upload");
  fs.symlinkSync(outside, path.join(dir, "link.txt"));
});
afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

describe("resolveUpload", () => {
  it("reads a file below an allowed folder", async () => {
    const f = await resolveUpload("files/report.pdf", [dir]);
    expect(f).toEqual({ name: "report.pdf", mimeType: "application/pdf", path: fs.realpathSync(path.join(dir, "files", "report.pdf")) });
  });

  it.each([
    ["files/missing.csv", /no such file/, "missing.csv"],
    ["../secret.txt", /outside/, "secret.txt"],
    ["link.txt", /outside/, "link.txt"],
    ["/etc/passwd", /outside|no such file/, "passwd"],
    ["files", /no such file/, "files"],
  ])("generates %s instead of reading it", async (value, because, name) => {
    const f = await resolveUpload(value, [dir]);
    expect(f.path).toBeUndefined();
    expect(f.name).toBe(name);
    expect(f.generatedBecause).toMatch(because);
    expect(Buffer.from(f.base64 ?? "", "base64").length).toBeGreaterThan(0);
  });

  it("reads nothing when no folder is allowed (a worker without PACTS_UPLOAD_DIR)", async () => {
    const f = await resolveUpload(path.join(dir, "files", "report.pdf"), []);
    expect(f.path).toBeUndefined();
    expect(f.generatedBecause).toMatch(/PACTS_UPLOAD_DIR/);
  });
});

describe("generated files", () => {
  it.each([
    ["a.png", "image/png"], ["photo.JPG", "image/jpeg"], ["data.csv", "text/csv"], ["x.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"], ["noext", "application/octet-stream"],
  ])("%s is %s", (name, mime) => {
    expect(mimeTypeOf(name)).toBe(mime);
  });

  it("are named by the base name and start like their type", () => {
    const png = generatedUpload("C:\\Users\\me\\a.png", "test");
    expect(png.name).toBe("a.png");
    expect(Buffer.from(png.base64!, "base64").subarray(1, 4).toString()).toBe("PNG");
    const pdf = generatedUpload("docs/report.pdf", "test");
    expect(Buffer.from(pdf.base64!, "base64").toString()).toMatch(/^%PDF-/);
  });
});
