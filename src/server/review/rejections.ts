// The engine's side of a rejected heal (src/server/review/review.ts): before a step acts on an element that
// discovery or a heal picked, this says whether a reviewer rejected that very element for this step's element.
// Matched by selector text, or by element identity on the page (the same element reached by another selector).
import type { Page } from "playwright-core";
import type { PrismaClient } from "@/generated/prisma/client";

export type RejectionKey = { teamId: string; urlPattern: string; elementNames: string[] };

/** The reason of the rejection that covers `selector` on this page, else null. Never throws (a lookup error is no rejection). */
export async function rejectionFor(db: PrismaClient, page: Page, key: RejectionKey, selector: string): Promise<string | null> {
  const rows = await db.healRejection
    .findMany({
      where: { teamId: key.teamId, urlPattern: key.urlPattern, elementName: { in: key.elementNames } },
      orderBy: { createdAt: "desc" },
      select: { selector: true, reason: true },
    })
    .catch(() => []);
  for (const r of rows) {
    if (r.selector === selector) return r.reason;
    if (await sameElement(page, r.selector, selector)) return r.reason;
  }
  return null;
}

async function sameElement(page: Page, a: string, b: string): Promise<boolean> {
  try {
    const la = page.locator(a);
    if ((await la.count()) !== 1) return false;
    const handle = await la.elementHandle({ timeout: 500 });
    if (!handle) return false;
    try {
      return await page.locator(b).evaluate((el, other) => el === other, handle, { timeout: 500 });
    } finally {
      await handle.dispose();
    }
  } catch {
    return false;
  }
}
