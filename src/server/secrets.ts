// Secrets generated once per installation and kept in the project-local data folder with mode 0600:
// the next-auth secret (secrets.json) and, when ADMIN_EMAIL/ADMIN_PASSWORD are not set, the admin login
// (admin-credentials.txt). Callers pass env values in; process.env is not read here.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

export const DEFAULT_ADMIN_EMAIL = "admin@pacts.local";
export const MIN_PASSWORD_LENGTH = 8;

const ZSecretsFile = z.object({ nextAuthSecret: z.string().min(32) }).passthrough();

export function secretsFilePath(dataDir: string): string {
  return path.join(dataDir, "secrets.json");
}

export function adminCredentialsFilePath(dataDir: string): string {
  return path.join(dataDir, "admin-credentials.txt");
}

/** NEXTAUTH_SECRET: the env value when set, else the persisted one, generated on first use. */
export async function ensureAuthSecret(dataDir: string, envSecret?: string): Promise<{ secret: string; source: "env" | "file" | "generated" }> {
  if (envSecret?.trim()) return { secret: envSecret.trim(), source: "env" };
  const file = secretsFilePath(dataDir);
  const existing = await readJson(file);
  const parsed = ZSecretsFile.safeParse(existing);
  if (parsed.success) {
    await fs.chmod(file, 0o600).catch(() => {});
    return { secret: parsed.data.nextAuthSecret, source: "file" };
  }
  const secret = randomBytes(32).toString("base64url");
  const merged = { ...(isRecord(existing) ? existing : {}), nextAuthSecret: secret };
  await writePrivateFile(file, `${JSON.stringify(merged, null, 2)}\n`);
  return { secret, source: "generated" };
}

export type AdminCredentials = {
  email: string;
  password: string;
  /** env: ADMIN_PASSWORD given; file: reused from the credentials file; generated: written just now. */
  source: "env" | "file" | "generated";
  file: string;
};

/**
 * The seeded admin's login. ADMIN_EMAIL / ADMIN_PASSWORD win on every start (the seed upserts and rehashes);
 * otherwise the credentials file is reused, or a random password is generated and written to it (0600).
 */
export async function resolveAdminCredentials(opts: {
  dataDir: string;
  envEmail?: string;
  envPassword?: string;
}): Promise<AdminCredentials> {
  const file = adminCredentialsFilePath(opts.dataDir);
  const envEmail = opts.envEmail?.trim() || undefined;
  const envPassword = opts.envPassword || undefined;
  if (envEmail && !z.email().safeParse(envEmail).success) {
    throw new Error(`ADMIN_EMAIL is not a valid email address: "${envEmail}"`);
  }
  if (envPassword !== undefined && envPassword.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${envPassword.length}).`);
  }

  const stored = await readAdminCredentialsFile(file);
  if (envPassword) {
    return { email: envEmail ?? stored?.email ?? DEFAULT_ADMIN_EMAIL, password: envPassword, source: "env", file };
  }
  if (stored) {
    await fs.chmod(file, 0o600).catch(() => {});
    return { email: envEmail ?? stored.email, password: stored.password, source: "file", file };
  }
  const email = envEmail ?? DEFAULT_ADMIN_EMAIL;
  const password = randomBytes(12).toString("base64url");
  await writePrivateFile(file, formatAdminCredentials(email, password));
  return { email, password, source: "generated", file };
}

export function formatAdminCredentials(email: string, password: string): string {
  return [
    "# PACTS admin login, generated on first start. Set ADMIN_EMAIL / ADMIN_PASSWORD to choose your own.",
    `email: ${email}`,
    `password: ${password}`,
    "",
  ].join("\n");
}

export function parseAdminCredentials(text: string): { email: string; password: string } | undefined {
  const value = (key: string) => text.match(new RegExp(`^${key}:[ \\t]*(.+?)[ \\t]*$`, "m"))?.[1];
  const email = value("email");
  const password = value("password");
  return email && password && password.length >= MIN_PASSWORD_LENGTH ? { email, password } : undefined;
}

async function readAdminCredentialsFile(file: string): Promise<{ email: string; password: string } | undefined> {
  try {
    return parseAdminCredentials(await fs.readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Written to a temp file with 0600 first and renamed, so the secret is never readable by others. */
async function writePrivateFile(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await fs.writeFile(tmp, content, { mode: 0o600 });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}
