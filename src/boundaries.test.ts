// The layering the product depends on (DEVELOPERS brief, style guide §2), checked on the real import graph:
// shared server code (used by the worker and the CLI) never imports Next, React or auth, and nothing the tRPC
// routers or route handlers load at runtime pulls in Playwright (it must stay out of the Next bundle); the heal
// engine's stages import only their own stage or a lower one, and the step grammar stays pure (docs/architecture.md).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : walk(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
  });
}

/** Runtime import specifiers of a file (type-only imports and re-exports are erased at build time). */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[2]) continue;
    const spec = m[3] ?? m[4];
    if (spec) out.push(spec);
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(SRC, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every package a file pulls in at runtime, through local modules. */
function packagesReachableFrom(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>(); // package -> first local file importing it
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      const local = resolveLocal(file, spec);
      if (local) queue.push(local);
      else if (!spec.startsWith(".") && !spec.startsWith("@/") && !packages.has(spec)) packages.set(spec, path.relative(SRC, file));
    }
  }
  return packages;
}

const rel = (f: string) => path.relative(SRC, f);
const WEB_ONLY = /^(next|next\/.*|react|react-dom|react\/.*|next-auth|next-auth\/.*|server-only)$/;
const PLAYWRIGHT = /^(playwright-core|playwright|@playwright\/test)(\/.*)?$/;

describe("import boundaries", () => {
  const shared = walk(path.join(SRC, "server")).filter((f) => !/^server\/(api|auth)\//.test(rel(f)));

  it.each(shared.map(rel))("shared server module %s does not import Next, React or auth", (file) => {
    const bad = runtimeImports(path.join(SRC, file)).filter((s) => WEB_ONLY.test(s) || /server\/(api|auth)(\/|$)/.test(s));
    expect(bad).toEqual([]);
  });

  const webEntries = [...walk(path.join(SRC, "server/api")), ...walk(path.join(SRC, "app")).filter((f) => /route\.ts$|page\.tsx$|layout\.tsx$/.test(f))];

  it.each(webEntries.map(rel))("%s does not pull Playwright into the web app", (file) => {
    const reached = packagesReachableFrom(path.join(SRC, file));
    const offenders = [...reached].filter(([pkg]) => PLAYWRIGHT.test(pkg)).map(([pkg, via]) => `${pkg} (via ${via})`);
    expect(offenders).toEqual([]);
  });

  it("the check itself sees Playwright where it is imported", () => {
    expect([...packagesReachableFrom(path.join(SRC, "server/runs/execute-run.ts")).keys()]).toContain("playwright-core");
  });

  // The heal pipeline, lowest stage first (docs/architecture.md).
  const STAGES = ["page", "fingerprint", "locate", "gate", "repair", "resolve", "act", "emit"];
  const HEAL = path.join(SRC, "server/heal");
  const stageOf = (file: string) => (rel(file).startsWith("server/heal/") ? STAGES.indexOf(path.relative(HEAL, file).split(path.sep)[0] ?? "") : -1);
  /** Every local file a file imports, type-only imports included (a type import upward is a cycle too). */
  const localImports = (file: string) =>
    [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\s[^'"]*?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)]
      .map((m) => resolveLocal(file, m[1] ?? m[2] ?? ""))
      .filter((f): f is string => f !== null);

  it("every engine file sits in a stage folder", () => {
    const heal = walk(HEAL);
    expect(heal.length).toBeGreaterThan(30);
    expect(heal.filter((f) => stageOf(f) < 0).map(rel)).toEqual([]);
  });

  it("a heal stage imports only its own stage or a lower one", () => {
    const upward = walk(HEAL).flatMap((f) => localImports(f).filter((i) => stageOf(i) > stageOf(f)).map((i) => `${rel(f)} -> ${rel(i)}`));
    expect(upward).toEqual([]);
  });

  it("the step grammar imports only itself, the domain types, zod, yaml and Node's own modules", () => {
    const steps = walk(path.join(SRC, "server/steps"));
    expect(steps.length).toBeGreaterThan(2);
    const bad = steps.flatMap((f) =>
      runtimeImports(f)
        .filter((s) => {
          const local = resolveLocal(f, s);
          return local ? !/^(server\/steps|domain)\//.test(rel(local)) : !/^(zod|yaml|node:.*)$/.test(s);
        })
        .map((s) => `${rel(f)} -> ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it("the step parser runs in a browser: it reaches no package but zod", () => {
    expect([...packagesReachableFrom(path.join(SRC, "server/steps/step-parser.ts")).keys()]).toEqual(["zod"]);
  });
});
