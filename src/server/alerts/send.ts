// Sends one alert to its channel: a signed JSON webhook, a Slack-compatible incoming webhook, or an e-mail over
// SMTP (nodemailer). Returns what happened (HTTP status or SMTP reply code) instead of throwing, for the log.
import { createHmac } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type { AlertChannel } from "@/generated/prisma/enums";
import type { AlertPayload } from "./payload";

export const SIGNATURE_HEADER = "X-Pacts-Signature";
const TIMEOUT_MS = 10_000;

export type SendTarget = { channel: AlertChannel; target: string; secret: string | null };
export type SendResult = { ok: boolean; code: number | null; error: string | null };
export type MailSettings = { smtpUrl: string | undefined; from: string };

/** `sha256=<hex HMAC-SHA256 of the raw body with the rule's secret>`, as GitHub-style receivers verify it. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

const transports = new Map<string, Transporter>();
function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) transports.set(url, (t = nodemailer.createTransport(url)));
  return t;
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
  return msg.slice(0, 500);
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
  try {
    const res = await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text().catch(() => "");
    if (res.ok) return { ok: true, code: res.status, error: null };
    return { ok: false, code: res.status, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}` };
  } catch (err) {
    return { ok: false, code: null, error: errorText(err) };
  }
}

export async function sendAlert(to: SendTarget, payload: AlertPayload, deliveryId: string, mail: MailSettings): Promise<SendResult> {
  switch (to.channel) {
    case "WEBHOOK": {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { "X-Pacts-Event": payload.event, "X-Pacts-Delivery": deliveryId, "User-Agent": "PACTS-Alerts" };
      if (to.secret) headers[SIGNATURE_HEADER] = signBody(to.secret, body);
      return post(to.target, body, headers);
    }
    case "SLACK":
      return post(to.target, JSON.stringify({ text: `${payload.title}\n${payload.text}` }), {});
    case "EMAIL": {
      if (!mail.smtpUrl) return { ok: false, code: null, error: "SMTP_URL is not set, so e-mail alerts cannot be sent" };
      try {
        const info = await transportFor(mail.smtpUrl).sendMail({ from: mail.from, to: to.target, subject: payload.title, text: payload.text });
        const code = Number.parseInt(String(info.response ?? "").slice(0, 3), 10);
        return { ok: true, code: Number.isFinite(code) ? code : null, error: null };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode ?? null;
        return { ok: false, code, error: errorText(err) };
      }
    }
  }
}
