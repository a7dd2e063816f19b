// An element fingerprint: what we remember about an element when it is first found, so that after the page
// changes we can score every candidate on the new page against it (src/server/heal/fingerprint/similarity.ts).
//
// Field names follow the Similo attributes of Nass, Alégroth, Feldt, Leotta, Ricca, "Similarity-based Web
// Element Localization for Robust Test Automation", ACM TOSEM 32(3), 2023 (doi 10.1145/3571855), and its
// successor VON Similo: tag, class, name, id, href, alt, xpath, idxpath, is_button, location (x, y), area,
// shape, visible_text, neighbor_text. We add the accessibility attributes Similo lacks (aria-label, role,
// test id, placeholder, accessible label, title, value) because modern apps carry most of their stable
// identity there. The weights and comparison kinds live in similarity.ts, not here: this is data only.
//
// Every field is optional: recorded fingerprints (benchmarks, older captures, other tools) may lack any of
// them, and the scorer treats a missing attribute as "no evidence", never as a mismatch of its own. Empty or
// whitespace-only strings and JSON null are normalised to "absent" for the same reason. Imports only zod.
import { z } from "zod";

const absentToUndefined = (v: unknown): unknown => {
  if (v === null) return undefined;
  if (typeof v === "string" && v.trim() === "") return undefined;
  return v;
};
const optText = z.preprocess(absentToUndefined, z.string().optional());
const optNumber = z.preprocess(absentToUndefined, z.number().finite().optional());
const optBool = z.preprocess(absentToUndefined, z.boolean().optional());

/**
 * neighborText: visible texts of the nearest text boxes around the element (nearest one above, below, left
 * and right, within ~200px), nearest first, duplicates removed, each trimmed to 80 chars. The scorer only
 * compares the words they contain (order-free), so a single joined string is accepted too and is treated as
 * one entry.
 */
const optTextList = z.preprocess(
  (v) => {
    const a = absentToUndefined(v);
    if (typeof a === "string") return [a];
    if (Array.isArray(a)) {
      const kept = a.filter((s): s is string => typeof s === "string" && s.trim() !== "");
      return kept.length > 0 ? kept : undefined;
    }
    return a;
  },
  z.array(z.string()).optional(),
);

export const ZFingerprint = z.object({
  /** Lower-case tag name ("input", "button", "a"). Similo: tag. */
  tag: optText,
  /** The id attribute, as is (volatility is judged by the scorer). Similo: id. */
  id: optText,
  /** The name attribute. Similo: name. */
  name: optText,
  /** The class attribute, space-separated, as is. Similo: class. */
  class: optText,
  /** The type attribute for input/button ("text", "password", "submit"). */
  type: optText,
  /** The href attribute as written (not resolved). Similo: href. */
  href: optText,
  /** The alt attribute. Similo: alt. */
  alt: optText,
  /** Visible text (innerText, whitespace collapsed, ≤ 200 chars); absent for form fields. Similo: visible_text. */
  text: optText,
  /** Absolute XPath with sibling indices, e.g. /html[1]/body[1]/form[1]/input[2]. Similo: xpath. */
  xpath: optText,
  /** XPath anchored at the nearest ancestor with a STABLE id, e.g. //*[@id="login"]/div[1]/input[1]. Similo: idxpath. */
  idxpath: optText,
  /** Bounding box in CSS px relative to the page (scroll-independent). Similo: location. */
  x: optNumber,
  y: optNumber,
  width: optNumber,
  height: optNumber,
  /** width × height. Similo: area. */
  area: optNumber,
  /** width / height. Similo: shape. */
  shape: optNumber,
  /** See the note above. Similo: neighbor_text. */
  neighborText: optTextList,
  /** Rendered and not hidden (non-zero box, not display:none / visibility:hidden). */
  visible: optBool,
  /** The raw aria-label attribute. */
  ariaLabel: optText,
  /** Explicit role attribute, else the implicit role of the tag where obvious (button, link, textbox, …). */
  role: optText,
  /** data-testid / data-test / data-test-id / data-qa / data-cy, first present. */
  testId: optText,
  /** The placeholder (or aria-placeholder) attribute. */
  placeholder: optText,
  /**
   * Accessible label text, simplified accname: aria-labelledby, else aria-label, else label[for] / wrapping
   * label, else (buttons, links) the visible text / value / alt, else title.
   */
  label: optText,
  /** The title attribute. */
  title: optText,
  /** The value ATTRIBUTE of button-like inputs, checkboxes and radios (never what a user typed). */
  value: optText,
  /** Where the element sits, as a person would say it: the kind of its nearest form, fieldset, dialog, section or
   *  landmark ("form", "search", "group", "dialog", "region", "article", "navigation", "banner", "contentinfo",
   *  "main", "complementary"), "page" when none holds it; absent in fingerprints captured before places were. */
  placeKind: optText,
  /** That container's name: aria-label(ledby), a fieldset's legend, else the first heading inside it. */
  placeName: optText,
  /** For a form: the text of its submit button (another element than this one), its other neighbour by purpose. */
  placeAction: optText,
});

export type Fingerprint = z.infer<typeof ZFingerprint>;
export type FingerprintInput = z.input<typeof ZFingerprint>;

/** A short human description of a fingerprinted element for messages: its role (or tag) and name, e.g.
 *  `button "Proceed to checkout"`, `textbox "Email address *"`, `input#q`. */
export function describeFingerprint(fp: Fingerprint): string {
  const kind = fp.role ?? fp.tag ?? "element";
  const name = fp.label ?? fp.ariaLabel ?? fp.text ?? fp.placeholder ?? fp.title ?? fp.alt ?? fp.name;
  if (name && name.trim()) {
    const n = name.replace(/\s+/g, " ").trim();
    return `${kind} ${JSON.stringify(n.length > 60 ? `${n.slice(0, 57)}...` : n)}`;
  }
  return fp.id ? `${fp.tag ?? kind}#${fp.id}` : kind;
}
