import { DEMO_LOGIN_V1 } from "./v1";
import { DEMO_LOGIN_V2 } from "./v2";

export const DEMO_VERSION_COOKIE = "pacts_demo_version";

export type DemoVersion = 1 | 2;

/** Cookie value -> version; anything unknown is v1 so the demo test always has a page to run against. */
export function parseDemoVersion(raw: string | undefined): DemoVersion {
  return raw === "2" ? 2 : 1;
}

export function demoLoginHtml(version: DemoVersion): string {
  return version === 2 ? DEMO_LOGIN_V2 : DEMO_LOGIN_V1;
}
