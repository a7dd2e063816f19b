// What covers the page and how to get it out of the way (heal round 1, and a click an overlay took): cookie and
// consent banners, newsletter pop-ups, modal dialogs. Generic, with no vendor's selectors: an overlay is a
// layer painted above the page (position fixed or sticky, absolute with a z-index, or the browser's top layer:
// a modal <dialog>, an open popover), found at the point it covers. Its way out is one of its own buttons,
// chosen by name: a consent answer ("Accept all cookies", "Agree and close", "Alle akzeptieren"…) or a close
// control ("Close", "×", "No thanks"). Layers built in open shadow roots (some consent managers) are searched
// inside, and a layer that is an iframe from another origin (others) is searched in its frame.
import type { ElementHandle, Page } from "playwright-core";

/**
 * Accepting answers of consent banners, whole names after lower-casing and trimming punctuation. English forms
 * are composed (an optional "yes"/"I", the verb, "all"/"everything", "cookies", "and close|continue"); other
 * languages list the wording the common consent managers ship.
 */
const ACCEPT = [
  String.raw`(yes,? )?(i )?(accept|agree|allow|consent|understand|understood)( to)?( all| everything)?( cookies)?( and | & | ?, ?)?(close|continue|proceed)?`,
  String.raw`(ok|okay),? (got it|i agree|thanks)`,
  String.raw`got it`,
  String.raw`accept (all )?(and|&) (close|continue)`,
  String.raw`(alle )?(akzeptieren|zulassen|annehmen)|zustimmen|einverstanden|alle cookies akzeptieren|ich stimme zu`,
  String.raw`(tout )?accepter( tout| et (fermer|continuer))?|j'accepte|oui,? j'accepte`,
  String.raw`aceptar( todo| todas| todas las cookies)?|acepto|aceitar( todos| tudo)?|aceito|concordo`,
  String.raw`accett(a|o)( tutto| tutti)?|accetta e chiudi`,
  String.raw`(alles )?accepteren|akkoord|alle cookies accepteren`,
  String.raw`(acceptera|godkänn|godta|accepter|hyväksy) (alla|alle|kaikki)|godkänn|hyväksy`,
  String.raw`zaakceptuj( wszystkie)?|akceptuj(ę|e)|přijmout vše|souhlasím|elfogadom|принять( все)?|同意(する)?|すべて同意|모두 동의`,
];
/** Closing a layer without answering anything. */
const CLOSE = [String.raw`cancel|close( this)?( dialog| banner| popup| modal| window)?|dismiss|no,? thanks|not now|maybe later|skip|×|✕|✖|x|schließen|fermer|cerrar|chiudi|sluiten|stäng`];

/** Words that make a layer a consent or notice banner, so that a plain "OK" or "Continue" is safe to press. */
const NOTICE_WORDS = String.raw`cookie|consent|privacy|gdpr|tracking|personal data|partners|datenschutz|confidentialité|privacidad`;

/** Whole-name patterns, for tests and the in-page finder. */
export const DISMISS = {
  accept: `^(${ACCEPT.join("|")})$`,
  close: `^(${CLOSE.join("|")})$`,
  /** "OK" and "Continue" on a layer that is not a notice could confirm something; only a notice's are pressed. */
  plainOk: String.raw`^(ok|okay|continue)$`,
  notice: NOTICE_WORDS,
} as const;

/**
 * In-page: the button that gets the overlay covering `point` (the viewport's centre when null) out of the way, or,
 * when that overlay is an iframe, the iframe to search inside; null when nothing covers the point or no button
 * is named like a way out. A modal <dialog> or popover in the top layer counts as covering everything.
 */
const findInPage = (arg: { point: { x: number; y: number } | null; target: Node | null; re: typeof DISMISS; inFrame: boolean }): Element | null => {
  const accept = new RegExp(arg.re.accept, "i");
  const close = new RegExp(arg.re.close, "i");
  const plainOk = new RegExp(arg.re.plainOk, "i");
  const notice = new RegExp(arg.re.notice, "i");
  const norm = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase().replace(/^[\s"'«»“”→←.!:]+|[\s"'«»“”→←.!:]+$/g, "");
  const up = (n: Node): Node | null => n.parentNode ?? (n as ShadowRoot).host ?? null;
  const topLayer = (e: Element) => e.matches(":modal") || (e.matches("[popover]") && e.matches(":popover-open"));
  const isLayer = (e: Element) => {
    if (topLayer(e)) return true;
    const cs = getComputedStyle(e);
    if (cs.position === "fixed" || cs.position === "sticky") return true;
    return cs.position === "absolute" && (parseInt(cs.zIndex, 10) || 0) > 0;
  };
  const shown = (e: Element) => {
    const r = e.getBoundingClientRect();
    const cs = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none" && cs.opacity !== "0";
  };
  // Every element under `root`, through open shadow roots.
  const all = (root: Element | Document | ShadowRoot, selector: string): Element[] => {
    const out: Element[] = [];
    const walk = (r: Element | Document | ShadowRoot) => {
      out.push(...Array.from(r.querySelectorAll(selector)));
      for (const e of Array.from(r.querySelectorAll("*"))) if (e.shadowRoot) walk(e.shadowRoot);
    };
    if (root instanceof Element && root.matches(selector)) out.push(root);
    if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
    walk(root);
    return out;
  };
  const nameOf = (b: Element) =>
    norm(b.getAttribute("aria-label") || (b.localName === "input" ? (b as HTMLInputElement).value : "") || (b as HTMLElement).innerText || b.textContent || b.getAttribute("title") || "");
  const wayOut = (layer: Element | Document): Element | null => {
    const buttons = all(layer, "button, [role=button], a, input[type=button], input[type=submit]").filter(shown);
    const text = norm((layer instanceof Document ? layer.body : (layer as HTMLElement))?.innerText ?? "");
    const isNotice = notice.test(text);
    return (
      buttons.find((b) => accept.test(nameOf(b))) ??
      (isNotice ? buttons.find((b) => plainOk.test(nameOf(b))) : undefined) ??
      buttons.find((b) => close.test(nameOf(b))) ??
      null
    );
  };
  if (arg.inFrame) return wayOut(document);

  const holds = (layer: Node, e: Node | null) => {
    for (let n: Node | null = e; n; n = up(n)) if (n === layer) return true;
    return false;
  };
  const x = arg.point?.x ?? innerWidth / 2;
  const y = arg.point?.y ?? innerHeight / 2;
  // What is painted at the point, innermost first, through open shadow roots: the document reports a shadow host
  // for whatever its root paints (a consent manager's fixed layer inside an unpositioned custom element).
  const stack: Element[] = [];
  const paint = (root: Document | ShadowRoot) => {
    for (const e of root.elementsFromPoint(x, y)) {
      if (root !== document && !root.contains(e)) continue;
      if (e.shadowRoot && e.shadowRoot !== root) paint(e.shadowRoot);
      if (!stack.includes(e)) stack.push(e);
    }
  };
  paint(document);
  // A layer is an overlay when it is painted over something of the page at the point, and does not hold the
  // element being revealed: a fixed app shell around the whole page covers nothing and is not one.
  const overlays = (layer: Element) =>
    !holds(layer, arg.target) && stack.some((e) => e !== document.body && e !== document.documentElement && !holds(layer, e) && !holds(e, layer));
  const modal = document.querySelector(":modal") ?? all(document, ":modal")[0] ?? null;
  let overlay: Element | null = modal && !holds(modal, arg.target) ? modal : null;
  for (const hit of overlay ? [] : stack) {
    for (let n: Node | null = hit; n && n !== document.body && n !== document.documentElement; n = up(n)) {
      if (n instanceof Element && isLayer(n) && shown(n) && overlays(n)) overlay = n;
    }
    if (overlay) break;
  }
  if (!overlay) return null;
  // The layer found may be a backdrop whose dialog is a sibling painted above it: then every other layer on the
  // page is looked at too, the one at the point first.
  const page = (e: Element) => e !== document.body && e !== document.documentElement && !document.head?.contains(e);
  const layers = [overlay, ...all(document, "*").filter((e) => e !== overlay && page(e) && !holds(e, arg.target) && shown(e) && isLayer(e))];
  for (const layer of layers) {
    const button = wayOut(layer);
    if (button) return button;
  }
  for (const layer of layers) {
    const frame = all(layer, "iframe").find((f) => {
      const r = f.getBoundingClientRect();
      return shown(f) && r.width * r.height >= 10_000;
    });
    if (frame) return frame;
  }
  return null;
};

/**
 * The button that dismisses whatever covers `point` (or the viewport centre), looking inside an overlay's iframe
 * when its buttons live there; null when nothing covers it or no button is named like a way out.
 */
export async function findDismissButton(page: Page, point: { x: number; y: number } | null, target: ElementHandle | null = null): Promise<ElementHandle | null> {
  const found = (await page.evaluateHandle(findInPage, { point, target, re: DISMISS, inFrame: false })).asElement();
  if (!found) return null;
  if ((await found.evaluate((e) => e.localName).catch(() => "")) !== "iframe") return found as ElementHandle;
  const frame = await found.contentFrame().catch(() => null);
  await found.dispose().catch(() => undefined);
  if (!frame) return null;
  const inside = await frame.evaluateHandle(findInPage, { point: null, target: null, re: DISMISS, inFrame: true }).catch(() => null);
  return (inside?.asElement() as ElementHandle | null) ?? null;
}
