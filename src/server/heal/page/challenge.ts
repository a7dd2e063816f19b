// CAPTCHA / bot-challenge detection (verdict BLOCKED): generic signals only — challenge-provider frames
// (/recaptcha/, hcaptcha, Cloudflare /challenge-platform/, turnstile), interstitial titles ("Just a moment…",
// "Attention Required!") and "verify you are human" texts. A blocked run is not a test failure of the app.
import type { Page } from "playwright-core";
import { within } from "./within";

const FRAME_PATTERNS = [/\/recaptcha\//i, /hcaptcha\.com/i, /\/challenge-platform\//i, /challenges\.cloudflare\.com/i, /turnstile/i, /arkoselabs|funcaptcha/i];
const TITLE_PATTERNS = [/^just a moment/i, /attention required/i, /^access denied/i, /are you a robot/i, /security check/i];
const TEXT_PATTERNS = [/verify (that )?you are (a )?human/i, /checking (if the site connection is secure|your browser before accessing)/i, /complete the security check/i, /press (&|and) hold/i];

/** How long the challenge check waits for the page to answer. */
const CHALLENGE_LOOK_MS = 5000;

/** A reason string when the page looks like a challenge, else null. */
export async function detectChallenge(page: Page): Promise<string | null> {
  for (const f of page.frames()) {
    const url = f.url();
    if (FRAME_PATTERNS.some((re) => re.test(url))) return `challenge frame ${url.slice(0, 120)}`;
  }
  const look = page
    .evaluate(() => ({
      title: document.title,
      // The page's first 5,000 characters of text, without forcing a layout as innerText would (this runs
      // while the first step's element is being looked at): text nodes outside script/style/template.
      text: (() => {
        const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
        const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
        let out = "";
        for (let n = walker.nextNode(); n && out.length < 5000; n = walker.nextNode()) {
          if (!skip.has(n.parentElement?.tagName ?? "")) out += ` ${n.nodeValue ?? ""}`;
        }
        return out.replace(/\s+/g, " ").slice(0, 5000);
      })(),
      srcs: Array.from(document.querySelectorAll("iframe[src], script[src]")).map((e) => e.getAttribute("src") ?? ""),
    }))
    .catch(() => null);
  // Bounded: a page stuck in a script never answers, and a stuck page is not a challenge page.
  const seen = await within(look, CHALLENGE_LOOK_MS, null);
  if (!seen) return null;
  const src = seen.srcs.find((s) => FRAME_PATTERNS.some((re) => re.test(s)) && /iframe|anchor|api2|challenge/i.test(s));
  if (src) return `challenge frame ${src.slice(0, 120)}`;
  const title = TITLE_PATTERNS.find((re) => re.test(seen.title.trim()));
  if (title) return `challenge page title ${JSON.stringify(seen.title.trim())}`;
  const text = TEXT_PATTERNS.find((re) => re.test(seen.text));
  if (text) return `challenge text matching ${text.source}`;
  return null;
}
