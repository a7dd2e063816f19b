// Same-origin child frames: discovery searches every frame of the page, and a candidate found in a child frame
// gets a selector that enters the frame from the top (`iframe[title="…"] >> internal:control=enter-frame >> …`,
// what Playwright's frameLocator compiles to) so it re-resolves with page.locator() and in generated code.
import type { Frame, Page } from "playwright-core";
import { isVolatileToken } from "../fingerprint/similarity";

export type FrameHop = { selector: string; code: string };
export type FrameScope = { frame: Frame; hops: FrameHop[] };

const q = (s: string) => JSON.stringify(s);
const cssAttr = (attr: string, v: string) => `iframe[${attr}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"]`;

/** A selector for a frame's <iframe> element, unique in its parent frame; null when none can be built. */
async function hopFor(frame: Frame): Promise<FrameHop | null> {
  const parent = frame.parentFrame();
  if (!parent) return null;
  const el = await frame.frameElement().catch(() => null);
  if (!el) return null;
  const attrs = await el
    .evaluate((n) => { const e = n as Element; return { title: e.getAttribute("title"), name: e.getAttribute("name"), id: e.getAttribute("id"), src: e.getAttribute("src") }; })
    .catch(() => null);
  await el.dispose().catch(() => undefined);
  if (!attrs) return null;
  const options: string[] = [];
  if (attrs.title) options.push(cssAttr("title", attrs.title));
  if (attrs.name && !isVolatileToken(attrs.name)) options.push(cssAttr("name", attrs.name));
  if (attrs.id && !isVolatileToken(attrs.id)) options.push(cssAttr("id", attrs.id));
  if (attrs.src && !attrs.src.startsWith("data:")) options.push(cssAttr("src", attrs.src));
  for (const sel of options) {
    if ((await parent.locator(sel).count().catch(() => 0)) === 1) return { selector: sel, code: `frameLocator(${q(sel)})` };
  }
  return null;
}

/** The main frame first, then every child frame reachable by a unique iframe selector. */
export async function listFrameScopes(page: Page): Promise<FrameScope[]> {
  const out: FrameScope[] = [{ frame: page.mainFrame(), hops: [] }];
  const hopsOf = new Map<Frame, FrameHop[]>([[page.mainFrame(), []]]);
  const walk = async (parent: Frame) => {
    for (const child of parent.childFrames()) {
      if (child.isDetached()) continue;
      const parentHops = hopsOf.get(parent);
      const hop = parentHops ? await hopFor(child) : null;
      if (parentHops && hop) {
        const hops = [...parentHops, hop];
        hopsOf.set(child, hops);
        out.push({ frame: child, hops });
      }
      await walk(child);
    }
  };
  await walk(page.mainFrame());
  return out;
}

/** Prefixes an in-frame selector / locator code with the hops that reach the frame from the page. */
export function throughFrames(hops: FrameHop[], selector: string, code: string): { selector: string; code: string } {
  if (hops.length === 0) return { selector, code };
  return {
    selector: [...hops.map((h) => `${h.selector} >> internal:control=enter-frame`), selector].join(" >> "),
    code: `${hops.map((h) => h.code).join(".")}.${code}`,
  };
}
