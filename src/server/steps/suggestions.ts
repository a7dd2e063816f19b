// What the step grammar says about a line it cannot read: the nearest valid form and the closest verb.

export type Template = { verbs: string[]; examples: string[]; assertion?: boolean };
export const TEMPLATES: Template[] = [
  { verbs: ["go", "navigate", "open", "visit"], examples: ["Go to https://example.com/login", "Navigate to /settings", "Go back"] },
  { verbs: ["reload", "refresh"], examples: ["Reload the page"] },
  { verbs: ["fill", "enter", "input", "set"], examples: ['Fill "alice" in the Username field', 'Fill the Username field with "alice"'] },
  { verbs: ["type"], examples: ['Type "hello" into the Message field'] },
  { verbs: ["clear"], examples: ["Clear the Search field"] },
  { verbs: ["upload", "attach"], examples: ['Upload "report.pdf" to the Attachments field', 'Attach "photo.png" to the Profile picture field', 'Upload "data.csv"'] },
  { verbs: ["press", "hit"], examples: ["Press Enter", "Press Enter on the Search field", "Press Control+A"] },
  { verbs: ["close", "dismiss"], examples: ["Close the dialog", "Close the Settings dialog", "Close the Shipping accordion", "Close the tab"] },
  { verbs: ["expand", "collapse"], examples: ["Expand the Shipping section", "Collapse the FAQ section", "Open the Returns accordion"] },
  { verbs: ["toggle", "turn"], examples: ["Toggle the Dark mode switch", "Turn on Email notifications", "Turn off the Newsletter switch"] },
  { verbs: ["switch"], examples: ["Switch to the new tab", "Switch back to the previous tab", "Switch to the first tab", "Switch on Email notifications"] },
  { verbs: ["click", "tap"], examples: ["Click the Log in button", "Click the first Delete button", 'Click "Save" in the Settings dialog'] },
  { verbs: ["double-click", "dblclick"], examples: ["Double-click the Title cell"] },
  { verbs: ["hover"], examples: ["Hover over the Account menu"] },
  { verbs: ["scroll"], examples: ["Scroll down", "Scroll to the bottom", "Scroll to the Pricing section", "Scroll to the Load more button"] },
  { verbs: ["select", "choose", "pick"], examples: ['Select "France" from the Country dropdown'] },
  { verbs: ["check", "tick"], examples: ["Check the Remember me checkbox"] },
  { verbs: ["uncheck", "untick"], examples: ["Uncheck the Newsletter checkbox"] },
  { verbs: ["wait"], examples: ["Wait for the Results heading", 'Wait for text "Saved"', "Wait 2 seconds"] },
  {
    verbs: ["expect", "verify", "assert", "ensure", "confirm"],
    assertion: true,
    examples: [
      'Expect text "Welcome"', 'Expect no text "Error"', 'Expect title contains "Dashboard"', 'Expect URL contains "/home"',
      "Expect the Save button to be enabled", 'Expect the Email field to have value "a@b.c"',
      'Expect the Cart section to contain "1 item"', "Expect 3 Delete buttons",
    ],
  },
];
export const ASSERTION_EXAMPLES = TEMPLATES.find((t) => t.assertion)!.examples;

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest template for a line: by its first word exactly, else by edit distance. */
export function nearestTemplate(firstWord: string, assertionOnly: boolean): { template: Template; verb: string; distance: number } {
  const pool = assertionOnly ? TEMPLATES.filter((t) => t.assertion) : TEMPLATES;
  let best = { template: pool[0]!, verb: pool[0]!.verbs[0]!, distance: Number.POSITIVE_INFINITY };
  for (const template of pool) {
    for (const verb of template.verbs) {
      const d = editDistance(firstWord, verb);
      if (d < best.distance) best = { template, verb, distance: d };
    }
  }
  return best;
}
