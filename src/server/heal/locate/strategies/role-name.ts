// ARIA role + accessible name. The roles tried follow the type word the user gave ("the Log in button"), else
// the roles that can take the step's action, most likely first.
import type { ElementKind, StepAction } from "@/domain/step";
import { nameForms, probeForms } from "./probe";
import { roleForm } from "./selector-syntax";
import type { Candidate, Strategy } from "./types";

const BASE_SCORE = 0.95;

// A button and a link look alike on real pages (a styled <a class="btn">, an icon link in the header): each kind
// also takes the other's role, after its own within each match mode, so an exact name wins over the type word.
const KIND_ROLES: Record<ElementKind, readonly string[]> = {
  button: ["button", "link"],
  link: ["link", "button"],
  field: ["textbox", "searchbox", "combobox", "spinbutton"],
  checkbox: ["checkbox"],
  radio: ["radio"],
  dropdown: ["combobox", "listbox"],
  option: ["option"],
  tab: ["tab"],
  heading: ["heading"],
  image: ["img"],
  item: ["listitem"],
  row: ["row"],
  menu: ["menu"],
  menuitem: ["menuitem"],
  switch: ["switch"],
  text: [],
};

const FIELD_ROLES = KIND_ROLES.field;
const POINTER: ReadonlySet<StepAction> = new Set<StepAction>(["click", "dblclick", "hover"]);
const CLICKABLE_ROLES = ["button", "link", "menuitem", "tab", "checkbox", "radio", "switch", "option"];

export function rolesFor(kind: ElementKind | undefined, action: StepAction): readonly string[] {
  if (kind) return KIND_ROLES[kind];
  switch (action) {
    case "fill":
    case "type":
    case "clear":
    case "expectValue":
      return FIELD_ROLES;
    case "select":
      // A question answered by one of its radio buttons: a radiogroup, or a fieldset named by its legend.
      return ["combobox", "listbox", "radiogroup", "group"];
    case "check":
    case "uncheck":
      return ["checkbox", "radio", "switch"];
    case "scroll":
      return ["heading", ...CLICKABLE_ROLES, ...FIELD_ROLES, "img"];
    default:
      return [...CLICKABLE_ROLES, ...FIELD_ROLES, "heading"];
  }
}

export const roleNameStrategy: Strategy = {
  name: "role-name",
  family: "accessible-name",
  partialNames: true,
  async find(scope, target, action, opts) {
    const meta = { strategy: this.name, family: this.family, action };
    const out: Candidate[] = [];
    if (!target.name.trim()) {
      // "Expect 3 items": a type word without a name counts or picks elements by role alone.
      if (!target.kind || opts?.nameTier === "partial") return [];
      for (const role of rolesFor(target.kind, action)) {
        const tried = await probeForms(scope, [{ ...roleForm(role, undefined, "exact"), score: BASE_SCORE - 0.2 }], meta, opts);
        out.push(...tried);
        if (tried.some((c) => c.accepted)) return out;
      }
      return out;
    }
    // Mode-major order: an exact name in any role beats a fuzzy name in the first role. A click or hover without a
    // type word means something to act on: headings come only after every other role in every mode (a table of
    // contents' link "2 Career" is what "Click Career" means, not the heading it jumps to).
    const roles = rolesFor(target.kind, action);
    const groups = !target.kind && POINTER.has(action) ? [roles.filter((r) => r !== "heading"), ["heading"]] : [roles];
    for (const group of groups) {
      for (const { name, mode, penalty } of nameForms(target, opts)) {
        for (const role of group) {
          const tried = await probeForms(scope, [{ ...roleForm(role, name, mode), score: BASE_SCORE - penalty, nameMatch: mode }], meta, opts);
          out.push(...tried);
          if (tried.some((c) => c.accepted)) return out;
        }
      }
    }
    return out;
  },
};
