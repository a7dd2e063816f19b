// Region scoping (`… in the Shipping address section|dialog|form|row "…"`): resolves the region to one container
// and returns its selector, so a strategy's candidates are looked for inside it only. Role + accessible name first
// (dialog, form, region, row), then a container whose heading/legend says the name.
import type { Region } from "@/domain/step";
import { roleForm } from "./strategies/selector-syntax";
import type { Scope } from "./strategies/types";

export type RegionScope = { selector: string; code: string };

const ROLES: Record<Region["kind"], string[]> = {
  dialog: ["dialog", "alertdialog"],
  form: ["form"],
  region: ["region", "group"],
  section: ["region", "group"],
  row: ["row"],
  frame: [],
  header: ["banner"],
  footer: ["contentinfo"],
  navigation: ["navigation"],
  sidebar: ["complementary"],
  main: ["main"],
};

/**
 * Landmarks: the ARIA role (named when the step names it, e.g. "in the Footer navigation"), else the role alone,
 * else the HTML element (a <header> inside an <article> is no banner). Several landmarks of a kind (a header and
 * a footer <nav>) are searched together: the element must still be the only match across them.
 */
const LANDMARK_TAGS: Partial<Record<Region["kind"], string>> = { header: "header", footer: "footer", navigation: "nav", sidebar: "aside", main: "main" };

const CONTAINERS = "section,fieldset,form,article,aside,dialog,[role=dialog],[role=region],[role=group],[role=form],div";
const HEADINGS = "h1,h2,h3,h4,h5,h6,legend,[role=heading],caption";

function headingForm(name: string): RegionScope {
  const text = JSON.stringify(name.trim());
  // The innermost container (last in document order among nested matches) whose heading says the name.
  const css = `:is(${CONTAINERS}):has(> :is(${HEADINGS}):text-is(${text}), > * > :is(${HEADINGS}):text-is(${text}))`;
  return { selector: css, code: `locator(${JSON.stringify(css)})` };
}

/** Candidate region forms, most specific first. */
export function regionForms(within: Region): RegionScope[] {
  const forms: RegionScope[] = [];
  const roles = ROLES[within.kind];
  const named = within.name.trim() !== "";
  // The role alone: "in the dialog" is the dialog whatever it is called (a redesign that titles it must not lose
  // the scope), and a landmark falls back to it when its name does not match.
  const roleOnly = roles.map((role) => roleForm(role, undefined, "exact"));
  const tag = LANDMARK_TAGS[within.kind];
  if (tag) {
    if (named) for (const mode of ["exact-ci", "normalized"] as const) for (const role of roles) forms.push(roleForm(role, within.name, mode));
    return [...forms, ...roleOnly, { selector: tag, code: `locator(${JSON.stringify(tag)})` }];
  }
  if (!named && within.kind !== "frame") return roleOnly;
  const modes = within.kind === "row" ? (["exact-ci", "contains"] as const) : (["exact-ci", "normalized"] as const);
  for (const mode of modes) for (const role of roles) forms.push(roleForm(role, within.name, mode));
  if (within.kind !== "row") forms.push(headingForm(within.name));
  if (within.kind === "frame") {
    const t = JSON.stringify(within.name);
    forms.push({ selector: `iframe[title=${t}] >> internal:control=enter-frame`, code: `frameLocator(${JSON.stringify(`iframe[title=${t}]`)})` });
  }
  return forms;
}

/** The first region form that matches exactly one visible container in scope; null when the region is not there. */
export async function resolveRegion(scope: Scope, within: Region): Promise<RegionScope | null> {
  for (const form of regionForms(within)) {
    const n = await scope.locator(form.selector).count().catch(() => 0);
    if (n === 1 || (n > 1 && LANDMARK_TAGS[within.kind])) return form;
    if (n > 1 && within.kind !== "row") {
      // Nested containers share one heading: take the innermost (document order puts descendants last).
      const last = { selector: `${form.selector} >> nth=-1`, code: `${form.code}.last()` };
      return last;
    }
  }
  return null;
}
