// A run's browser context sends its requests through this small forward proxy on 127.0.0.1, which asks the URL
// policy (url-policy.ts) about every one before it connects: a redirect, a script or an iframe navigating to a
// refused host is stopped here, where Playwright's request routes never see it (they skip redirects). Host names
// are resolved here and every address they resolve to is checked too (a public name pointing at 169.254.169.254),
// then the connection goes to the address that was checked. Plain http is forwarded; https and WebSockets are
// CONNECT tunnels. Loopback bypasses the proxy unless the policy refuses loopback addresses.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import net from "node:net";
import { checkUrl, refusalMessage, type UrlPolicy } from "./url-policy";

export type EgressRefusal = { url: string; reason: string; message: string };
export type EgressOptions = {
  /** Host name → addresses (default: the system resolver). */
  lookup?: (host: string) => Promise<string[]>;
  /** Opens a TCP connection to a checked address (default: net.connect). */
  connect?: (address: string, port: number) => Socket;
};
export type EgressProxy = {
  /** For Playwright's `proxy` context option. */
  proxy: { server: string; bypass: string };
  close(): Promise<void>;
};

const systemLookup = async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);
const systemConnect = (address: string, port: number) => net.connect({ host: address, port });

/** Hop-by-hop headers a proxy must not forward (RFC 9110 §7.6.1), and the proxy's own. */
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"]);

/** Whether loopback must go through the proxy too: when PACTS_URL_DENY is set and PACTS_URL_ALLOW does not
 * name loopback wholesale (then a deny rule might refuse a loopback address). */
export function policyTouchesLoopback(policy: UrlPolicy): boolean {
  return policy.deny.length > 0 && !policy.allow.some((r) => r.text === "loopback" || r.text === "private" || r.text === "*");
}

export async function startEgressProxy(policy: UrlPolicy, onRefused: (r: EgressRefusal) => void, opts: EgressOptions = {}): Promise<EgressProxy> {
  const lookup = opts.lookup ?? systemLookup;
  const connect = opts.connect ?? systemConnect;

  /** The address to connect to for `url`, or the refusal. */
  async function decide(url: string): Promise<{ address: string; port: number } | EgressRefusal> {
    const refuse = (reason: string) => ({ url, reason, message: refusalMessage(url, reason) });
    const d = checkUrl(url, policy);
    if (!d.ok) return refuse(d.reason);
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const port = Number(u.port) || (u.protocol === "https:" ? 443 : 80);
    if (net.isIP(host)) return { address: host, port };
    let addresses: string[];
    try {
      addresses = await lookup(host);
    } catch {
      return refuse(`${host} could not be resolved`);
    }
    // An operator's allow rule for the name wins over what it resolves to (a staging name on a private network).
    if (d.allowedBy !== "allow") {
      for (const a of addresses) {
        const da = checkUrl(`http://${net.isIPv6(a) ? `[${a}]` : a}/`, policy);
        if (!da.ok) return refuse(`${host} resolves to ${a}: ${da.reason}`);
      }
    }
    if (addresses.length === 0) return refuse(`${host} could not be resolved`);
    return { address: addresses[0]!, port };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = req.url ?? "";
      if (!/^https?:\/\//i.test(url)) return void res.writeHead(400).end("This is a forward proxy for PACTS runs");
      const target = await decide(url);
      if ("reason" in target) {
        onRefused(target);
        res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "x-pacts-url-policy": "refused" }).end(target.message);
        return;
      }
      const u = new URL(url);
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) headers[k] = v;
      const upstream = http.request({
        method: req.method,
        path: `${u.pathname}${u.search}`,
        headers,
        createConnection: () => connect(target.address, target.port),
      });
      upstream.on("response", (up) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
        res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
        up.pipe(res);
      });
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      req.pipe(upstream);
    })().catch(() => res.destroy());
  });

  server.on("connect", (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    client.on("error", () => undefined);
    void (async () => {
      const target = await decide(`https://${req.url ?? ""}/`);
      if ("reason" in target) {
        onRefused({ ...target, url: `https://${req.url ?? ""}/` });
        client.end(`HTTP/1.1 403 Forbidden\r\nx-pacts-url-policy: refused\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      const upstream = connect(target.address, target.port);
      upstream.on("error", () => client.destroy());
      upstream.once("connect", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      client.on("close", () => upstream.destroy());
    })().catch(() => client.destroy());
  });

  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // Chromium sends loopback and link-local hosts around any proxy unless told `<-loopback>`; link-local must
  // come here, and loopback too when the policy could refuse it.
  const bypass = policyTouchesLoopback(policy) ? "<-loopback>" : "<-loopback>,localhost,*.localhost,127.0.0.0/8,[::1]";
  return {
    proxy: { server: `http://127.0.0.1:${port}`, bypass },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
