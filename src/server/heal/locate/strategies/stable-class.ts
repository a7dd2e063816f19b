// Stable class combination (structure family): re-probes the stored element's tag + its human-written class
// tokens. Only used when healing (it needs the stored fingerprint); hashed CSS-module/emotion classes are dropped,
// and a combination that matches more than one element is rejected by the probe like any other.
import { isVolatileToken } from "../../fingerprint/similarity";
import { probeForms } from "./probe";
import type { Strategy } from "./types";

const cssIdent = (s: string) => s.replace(/([^a-zA-Z0-9_-])/g, "\\$1");

export const stableClassStrategy: Strategy = {
  name: "stable-class",
  family: "structure",
  async find(scope, _target, action, opts) {
    const hint = opts?.hint;
    if (!hint?.class || !hint.tag) return [];
    const tokens = hint.class.split(/\s+/).filter((t) => t && !isVolatileToken(t) && /^[A-Za-z_-][\w-]*$/.test(t));
    if (tokens.length === 0) return [];
    const css = `${hint.tag}${tokens.map((t) => `.${cssIdent(t)}`).join("")}`;
    return probeForms(scope, [{ selector: css, code: `locator(${JSON.stringify(css)})`, score: 0.55 }], { strategy: this.name, family: this.family, action }, opts);
  },
};
