// The one decision on every URL a run opens (start URL, `Go to` after variables are bound, each document the page
// navigates to) and every URL a user stores for a run (a test's start URL, an API run's data row): only http and
// https (and about:blank); link-local addresses and cloud metadata hosts are refused unless an operator allows
// them; PACTS_URL_ALLOW / PACTS_URL_DENY (src/server/env.ts) add host patterns and CIDRs. Pure: no DNS, no I/O.
// See docs/security.md for the rules and the tests that prove them.
import { BlockList, isIP } from "node:net";

/** One operator rule: a CIDR (or single IP), a host pattern (`example.com`, `*.example.com`, `*`) or an alias. */
export type UrlRule = { text: string; match: (host: Host) => boolean };
export type UrlPolicy = { allow: readonly UrlRule[]; deny: readonly UrlRule[] };
/** allowedBy: "allow" when a PACTS_URL_ALLOW rule let the host through, else "default". */
export type UrlDecision = { ok: true; allowedBy: "allow" | "default" } | { ok: false; reason: string };

/** A URL's host: its lowercase name without brackets or a trailing dot, and its IP family when it is an address. */
type Host = { name: string; ip: 0 | 4 | 6 };

function subnets(list: Array<[string, number]>): BlockList {
  const b = new BlockList();
  for (const [net, prefix] of list) b.addSubnet(net, prefix, isIP(net) === 6 ? "ipv6" : "ipv4");
  return b;
}

const LINK_LOCAL = subnets([["169.254.0.0", 16], ["fe80::", 10]]);
/** Cloud instance-metadata endpoints outside link-local: Alibaba's, AWS's IPv6 one. */
const METADATA_IPS = subnets([["100.100.100.200", 32], ["fd00:ec2::254", 128]]);
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com", "instance-data", "instance-data.ec2.internal"]);

const ALIASES: Record<string, BlockList> = {
  /** Private networks (RFC 1918, carrier-grade NAT, IPv6 unique local) and loopback. */
  private: subnets([["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["100.64.0.0", 10], ["fc00::", 7], ["127.0.0.0", 8], ["::1", 128], ["0.0.0.0", 8]]),
  loopback: subnets([["127.0.0.0", 8], ["::1", 128]]),
  "link-local": LINK_LOCAL,
};
const NAMED_HOSTS: Record<string, readonly string[]> = { private: ["localhost"], loopback: ["localhost"] };

const inList = (list: BlockList, host: Host) => host.ip !== 0 && list.check(host.name, host.ip === 6 ? "ipv6" : "ipv4");

/** Parses one rule; throws with a message naming the rule when it is neither a CIDR, an IP nor a host pattern. */
export function parseUrlRule(raw: string): UrlRule {
  const text = raw.trim().toLowerCase();
  const alias = ALIASES[text];
  if (alias) {
    const names = NAMED_HOSTS[text] ?? [];
    return { text, match: (h) => inList(alias, h) || names.some((n) => h.name === n || h.name.endsWith(`.${n}`)) };
  }
  const slash = text.indexOf("/");
  const addr = (slash >= 0 ? text.slice(0, slash) : text).replace(/^\[|\]$/g, "");
  const family = isIP(addr);
  if (family) {
    const max = family === 6 ? 128 : 32;
    const prefix = slash >= 0 ? Number(text.slice(slash + 1)) : max;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`"${raw}" has an invalid prefix length (0-${max})`);
    const list = subnets([[addr, prefix]]);
    return { text, match: (h) => inList(list, h) };
  }
  if (text === "*") return { text, match: () => true };
  const wildcard = text.startsWith("*.");
  const base = wildcard ? text.slice(2) : text;
  if (!/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(base)) {
    throw new Error(`"${raw}" is not a CIDR, an IP address or a host pattern (example.com, *.example.com, *, private, loopback, link-local)`);
  }
  // `*.example.com` matches its subdomains only; `example.com` matches itself and its subdomains.
  return { text, match: (h) => h.ip === 0 && (wildcard ? h.name.endsWith(`.${base}`) : h.name === base || h.name.endsWith(`.${base}`)) };
}

/** A comma- or whitespace-separated list of rules (an env setting); throws naming the first bad one. */
export function parseUrlRules(raw: string | undefined): UrlRule[] {
  return (raw ?? "").split(/[\s,]+/).filter(Boolean).map(parseUrlRule);
}

export function urlPolicy(opts: { allow?: string; deny?: string } = {}): UrlPolicy {
  return { allow: parseUrlRules(opts.allow), deny: parseUrlRules(opts.deny) };
}

export const DEFAULT_URL_POLICY: UrlPolicy = { allow: [], deny: [] };

function hostOf(url: URL): Host {
  const name = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  const ip = isIP(name);
  return { name, ip: ip === 4 || ip === 6 ? ip : 0 };
}

const refuse = (reason: string): UrlDecision => ({ ok: false, reason });

/**
 * Whether a run may open `url`. Order: the scheme (only http/https; about:blank), then PACTS_URL_ALLOW (an
 * operator's exception wins), then PACTS_URL_DENY, then the built-in refusals (link-local, cloud metadata).
 */
export function checkUrl(url: string | URL, policy: UrlPolicy = DEFAULT_URL_POLICY): UrlDecision {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    return refuse("it is not a valid URL");
  }
  if (u.protocol === "about:" && u.pathname === "blank") return { ok: true, allowedBy: "default" };
  if (u.protocol !== "http:" && u.protocol !== "https:") return refuse(`only http and https URLs may be opened, not ${u.protocol}`);
  const host = hostOf(u);
  if (!host.name) return refuse("it has no host");
  if (policy.allow.some((r) => r.match(host))) return { ok: true, allowedBy: "allow" };
  const denied = policy.deny.find((r) => r.match(host));
  if (denied) return refuse(`the host ${host.name} is refused by PACTS_URL_DENY (${denied.text})`);
  if (inList(LINK_LOCAL, host)) return refuse(`${host.name} is a link-local address (cloud metadata lives there); allow it with PACTS_URL_ALLOW`);
  if (inList(METADATA_IPS, host) || METADATA_NAMES.has(host.name)) return refuse(`${host.name} is a cloud metadata endpoint; allow it with PACTS_URL_ALLOW`);
  return { ok: true, allowedBy: "default" };
}

/** A refusal as one sentence for a step's or a form's error. */
export function refusalMessage(url: string, reason: string): string {
  const shown = url.length > 200 ? `${url.slice(0, 197)}...` : url;
  return `Refused to open ${shown} by the URL policy: ${reason}`;
}
