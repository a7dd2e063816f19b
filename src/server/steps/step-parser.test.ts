import { describe, expect, it } from "vitest";
import type { Step } from "@/domain/step";
import { formatStep, normalizeKey, parseStepLine, parseSteps } from "./step-parser";

/** Parses one line and returns the step without line/text, failing the test with the error when it does not parse. */
function one(line: string): Omit<Step, "line" | "text"> {
  const res = parseStepLine(line, 1);
  if (!res.ok) throw new Error(`did not parse: ${line}: ${res.error.reason}`);
  const { line: _l, text: _t, ...rest } = res.step;
  return rest;
}
const T = (name: string, more: Record<string, unknown> = {}) => ({ name, exact: false, ...more });
const Q = (name: string, more: Record<string, unknown> = {}) => ({ name, exact: true, ...more });

describe("parseStepLine: every form", () => {
  it.each<[string, Omit<Step, "line" | "text">]>([
    // navigation
    ["Go to https://example.com/login", { action: "navigate", value: "https://example.com/login" }],
    ['Go to "https://example.com/a b"', { action: "navigate", value: "https://example.com/a b" }],
    ["Navigate to /settings", { action: "navigate", value: "/settings" }],
    ["navigate TO /settings?tab=2", { action: "navigate", value: "/settings?tab=2" }],
    ["Go to {{baseUrl}}/login", { action: "navigate", value: "{{baseUrl}}/login" }],
    ["Reload the page", { action: "reload" }],
    ["Refresh", { action: "reload" }],
    ["Go back", { action: "back" }],
    // typing
    ['Fill "alice" in the Username field', { action: "fill", value: "alice", target: T("Username", { kind: "field" }) }],
    ['Fill the Username field with "alice"', { action: "fill", value: "alice", target: T("Username", { kind: "field" }) }],
    ["Fill Email with “a@b.c”", { action: "fill", value: "a@b.c", target: T("Email") }],
    ["Fill Email with 'a@b.c'", { action: "fill", value: "a@b.c", target: T("Email") }],
    ['Fill "" in the Search box', { action: "fill", value: "", target: T("Search", { kind: "field" }) }],
    ['fill in "bob" into the Login input', { action: "fill", value: "bob", target: T("Login", { kind: "field" }) }],
    ['Type "hello" into the Message textbox', { action: "type", value: "hello", target: T("Message", { kind: "field" }) }],
    ["Clear the Search field", { action: "clear", target: T("Search", { kind: "field" }) }],
    ['Enter "alice" as the Username', { action: "fill", value: "alice", target: T("Username") }],
    ['Type "bob" as your Name', { action: "fill", value: "bob", target: T("Name") }],
    // answers and picks
    ['Choose "Yes" for "Do you already have a passport?"', { action: "select", value: "Yes", target: Q("Do you already have a passport?") }],
    ['Select "Canada" for the Country dropdown', { action: "select", value: "Canada", target: T("Country", { kind: "dropdown" }) }],
    ["Select Scotland", { action: "click", target: T("Scotland") }],
    ["Choose the Express radio", { action: "click", target: T("Express", { kind: "radio" }) }],
    // pagination
    ["Go to page 2", { action: "click", target: Q("2", { kind: "link" }) }],
    ["Click page 12", { action: "click", target: Q("12", { kind: "link" }) }],
    // curly quotes inside a straight-quoted value are text (CMS messages quote titles so)
    ['Expect text "1 post moved to the Trash. “Roadmap”"', { action: "expectText", value: "1 post moved to the Trash. “Roadmap”" }],
    ['Expect text "Release notes 4.2”"', { action: "expectText", value: "Release notes 4.2”" }],
    ['Fill "say “hi”" in the "Note" field', { action: "fill", value: "say “hi”", target: Q("Note", { kind: "field" }) }],
    ['Type "Retro notes"', { action: "type", value: "Retro notes" }],
    ["Fill “x” in the Name field", { action: "fill", value: "x", target: T("Name", { kind: "field" }) }],
    // scrolling
    ["Scroll down", { action: "scroll", value: "down" }],
    ["Scroll up one screen", { action: "scroll", value: "up" }],
    ["Scroll to the bottom of the page", { action: "scroll", value: "bottom" }],
    ["scroll all the way to the top", { action: "scroll", value: "top" }],
    ["Scroll to the Pricing section", { action: "scroll", target: T("Pricing", { kind: "heading" }) }],
    ["Scroll down to the Load more button", { action: "scroll", target: T("Load more", { kind: "button" }) }],
    ["Scroll the Terms link into view", { action: "scroll", target: T("Terms", { kind: "link" }) }],
    // disclosures
    ["Expand the Shipping section", { action: "expand", target: T("Shipping") }],
    ["Collapse FAQ", { action: "collapse", target: T("FAQ") }],
    ['Expand the "Order details" section', { action: "expand", target: Q("Order details") }],
    ["Expand the Filters button", { action: "expand", target: T("Filters", { kind: "button" }) }],
    ["Expand the Returns panel in the Help dialog", { action: "expand", target: T("Returns", { within: { kind: "dialog", name: "Help" } }) }],
    ["Expand Details", { action: "expand", target: T("Details") }],
    ["Open the Shipping accordion", { action: "expand", target: T("Shipping") }],
    ["Close the Shipping accordion", { action: "collapse", target: T("Shipping") }],
    ["Open the Warranty section", { action: "expand", target: T("Warranty") }],
    ["Close the FAQ section in the Help card", { action: "collapse", target: T("FAQ", { within: { kind: "section", name: "Help" } }) }],
    // files
    ['Upload "report.pdf" to the Attachments field', { action: "upload", value: "report.pdf", target: T("Attachments") }],
    ['Attach "a.png" to the Profile picture field', { action: "upload", value: "a.png", target: T("Profile picture") }],
    ['Upload "data.csv"', { action: "upload", value: "data.csv" }],
    ['Upload the file "files/q1.xlsx" to the Import file input', { action: "upload", value: "files/q1.xlsx", target: T("Import") }],
    ['Upload "a.pdf" to the Choose file button', { action: "upload", value: "a.pdf", target: T("Choose file", { kind: "button" }) }],
    ['Upload "a.pdf" into the drop zone in the Documents card', { action: "upload", value: "a.pdf", target: T("drop zone", { within: { kind: "section", name: "Documents" } }) }],
    ['Attach "{{file}}" to Resume', { action: "upload", value: "{{file}}", target: T("Resume") }],
    // tabs and windows
    ["Switch to the new tab", { action: "switchTab", value: "new" }],
    ["Switch to the new window", { action: "switchTab", value: "new" }],
    ["Switch to the popup", { action: "switchTab", value: "new" }],
    ["switch to the newly opened tab", { action: "switchTab", value: "new" }],
    ["Switch to the first tab", { action: "switchTab", value: "first" }],
    ["Switch back to the original window", { action: "switchTab", value: "first" }],
    ["Switch back to the previous tab", { action: "switchTab", value: "previous" }],
    ["Switch back to the tab", { action: "switchTab", value: "previous" }],
    ["Switch back", { action: "switchTab", value: "previous" }],
    ["Switch to the last tab", { action: "switchTab", value: "last" }],
    ["Close the tab", { action: "closeTab" }],
    ["Close the current window", { action: "closeTab" }],
    ["Close the popup window", { action: "closeTab" }],
    ["Switch to the Billing tab", { action: "click", target: T("Billing", { kind: "tab" }) }],
    // switches
    ["Toggle the Dark mode switch", { action: "click", target: T("Dark mode", { kind: "switch" }) }],
    ["Turn on Email notifications", { action: "check", target: T("Email notifications") }],
    ["Switch off the Newsletter toggle", { action: "uncheck", target: T("Newsletter", { kind: "switch" }) }],
    // scopes written as people write them
    ["Click the Delete button in Bob's row", { action: "click", target: T("Delete", { kind: "button", within: { kind: "row", name: "Bob" } }) }],
    ["Click Edit in Alice Martin’s row", { action: "click", target: T("Edit", { within: { kind: "row", name: "Alice Martin" } }) }],
    ['Click the Delete button on the row "Bob"', { action: "click", target: T("Delete", { kind: "button", within: { kind: "row", name: "Bob" } }) }],
    ['Click the button labeled "Sign in"', { action: "click", target: Q("Sign in", { kind: "button" }) }],
    ['Click the link named "Docs"', { action: "click", target: Q("Docs", { kind: "link" }) }],
    ["Click Log on", { action: "click", target: T("Log on") }],
    ["Close the dialog", { action: "click", target: T("Close", { kind: "button", ordinal: 0, within: { kind: "dialog", name: "" } }) }],
    ["Dismiss the toast", { action: "click", target: T("Close", { kind: "button", ordinal: 0, within: { kind: "alert", name: "" } }) }],
    ['Expect text "Saved" in the notification', { action: "expectText", value: "Saved", within: { kind: "alert", name: "" } }],
    ["Close the Settings modal", { action: "click", target: T("Close", { kind: "button", ordinal: 0, within: { kind: "dialog", name: "Settings" } }) }],
    ["Dismiss the popup", { action: "click", target: T("Close", { kind: "button", ordinal: 0, within: { kind: "dialog", name: "" } }) }],
    ['Click the Delete icon in the row "User 43"', { action: "click", target: T("Delete", { within: { kind: "row", name: "User 43" } }) }],
    ['Click the "Search" icon', { action: "click", target: Q("Search") }],
    ["Click Icon", { action: "click", target: T("Icon") }],
    ["Click Sign on the page", { action: "click", target: T("Sign on the page") }],
    // keys
    ["Press Enter", { action: "press", key: "Enter" }],
    ["Press Tab", { action: "press", key: "Tab" }],
    ["press escape", { action: "press", key: "Escape" }],
    ["Press the Enter key", { action: "press", key: "Enter" }],
    ["Press Control+A", { action: "press", key: "Control+A" }],
    ["Press ctrl + a", { action: "press", key: "Control+A" }],
    ["Press Arrow Down", { action: "press", key: "ArrowDown" }],
    ["Press ArrowDown", { action: "press", key: "ArrowDown" }],
    ["Press Enter on the Search field", { action: "press", key: "Enter", target: T("Search", { kind: "field" }) }],
    // pointer
    ["Click Log in", { action: "click", target: T("Log in") }],
    ["Click the Log in button", { action: "click", target: T("Log in", { kind: "button" }) }],
    ["Click the Pricing link", { action: "click", target: T("Pricing", { kind: "link" }) }],
    ['Click "Save"', { action: "click", target: Q("Save") }],
    ['Click the "Save" button', { action: "click", target: Q("Save", { kind: "button" }) }],
    ['Click button "Save"', { action: "click", target: Q("Save", { kind: "button" }) }],
    ["Click on Sign up", { action: "click", target: T("Sign up") }],
    ["Click in the Search box", { action: "click", target: T("Search", { kind: "field" }) }],
    ["Click first video result", { action: "click", target: T("video result", { ordinal: 0, literalName: "first video result" }) }],
    ["Click the second Delete button", { action: "click", target: T("Delete", { kind: "button", ordinal: 1, literalName: "second Delete" }) }],
    ["Click third item", { action: "click", target: T("", { kind: "item", ordinal: 2 }) }],
    ["Click the last Remove link", { action: "click", target: T("Remove", { kind: "link", ordinal: -1, literalName: "last Remove" }) }],
    ['Fill "Ada" in the First name field', { action: "fill", value: "Ada", target: T("name", { kind: "field", ordinal: 0, literalName: "First name" }) }],
    ["Click 3rd Buy button", { action: "click", target: T("Buy", { kind: "button", ordinal: 2, literalName: "3rd Buy" }) }],
    ["Click the 2nd row", { action: "click", target: T("", { kind: "row", ordinal: 1 }) }],
    ["Double-click the Title heading", { action: "dblclick", target: T("Title", { kind: "heading" }) }],
    ["double click Cell A1", { action: "dblclick", target: T("Cell A1") }],
    ["Hover over the Account menu", { action: "hover", target: T("Account", { kind: "menu" }) }],
    ['Select "France" from the Country dropdown', { action: "select", value: "France", target: T("Country", { kind: "dropdown" }) }],
    ['Select "Prospecting" from the Stage combobox', { action: "select", value: "Prospecting", target: T("Stage", { kind: "dropdown" }) }],
    ["Check the Remember me checkbox", { action: "check", target: T("Remember me", { kind: "checkbox" }) }],
    ["Uncheck the Newsletter switch", { action: "uncheck", target: T("Newsletter", { kind: "switch" }) }],
    ["Check Dark mode toggle", { action: "check", target: T("Dark mode", { kind: "switch", literalName: "Dark mode toggle", literalHasType: true }) }],
    ["Click the Settings menu item", { action: "click", target: T("Settings", { kind: "menuitem" }) }],
    ["Click the Express radio button", { action: "click", target: T("Express", { kind: "radio" }) }],
    ["Click the Billing tab", { action: "click", target: T("Billing", { kind: "tab" }) }],
    ["Click the Logo image", { action: "click", target: T("Logo", { kind: "image" }) }],
    ["Click the Small option", { action: "click", target: T("Small", { kind: "option" }) }],
    // waits
    ["Wait for the Results heading", { action: "waitFor", target: T("Results", { kind: "heading" }) }],
    ["Wait for the Spinner to disappear", { action: "waitFor", target: T("Spinner"), state: "hidden" }],
    ['Wait for text "Saved"', { action: "waitForText", value: "Saved" }],
    ["Wait 2 seconds", { action: "wait", ms: 2000 }],
    ["Wait 1 second", { action: "wait", ms: 1000 }],
    ["Wait 500 milliseconds", { action: "wait", ms: 500 }],
    ["Wait 250ms", { action: "wait", ms: 250 }],
    ["Wait 1.5 s", { action: "wait", ms: 1500 }],
    // assertions
    ['Expect text "Welcome, alice"', { action: "expectText", value: "Welcome, alice" }],
    ['Verify text "Welcome"', { action: "expectText", value: "Welcome" }],
    ['Expect to see "Welcome"', { action: "expectText", value: "Welcome" }],
    ['Expect the page to contain "Welcome"', { action: "expectText", value: "Welcome" }],
    ['Expect no text "Error"', { action: "expectNoText", value: "Error" }],
    ['Expect text "Error" not to be visible', { action: "expectNoText", value: "Error" }],
    ['Expect title contains "Dashboard"', { action: "expectTitle", value: "Dashboard" }],
    ['Expect the page title to contain "Dashboard"', { action: "expectTitle", value: "Dashboard" }],
    ['Expect URL contains "/home"', { action: "expectUrl", value: "/home" }],
    ['Assert the url to contain "/home"', { action: "expectUrl", value: "/home" }],
    ["Expect the Save button to be visible", { action: "expectState", target: T("Save", { kind: "button" }), state: "visible" }],
    ["Expect the Save button to be hidden", { action: "expectState", target: T("Save", { kind: "button" }), state: "hidden" }],
    ["Expect the Save button to be enabled", { action: "expectState", target: T("Save", { kind: "button" }), state: "enabled" }],
    ["Expect the Save button to be disabled", { action: "expectState", target: T("Save", { kind: "button" }), state: "disabled" }],
    ["Expect the Terms checkbox to be checked", { action: "expectState", target: T("Terms", { kind: "checkbox" }), state: "checked" }],
    ["Expect the Terms checkbox to be unchecked", { action: "expectState", target: T("Terms", { kind: "checkbox" }), state: "unchecked" }],
    ["Expect the Terms checkbox to be not checked", { action: "expectState", target: T("Terms", { kind: "checkbox" }), state: "unchecked" }],
    ["Check that the Save button to be enabled", { action: "expectState", target: T("Save", { kind: "button" }), state: "enabled" }],
    ['Expect the Email field to have value "a@b.c"', { action: "expectValue", target: T("Email", { kind: "field" }), value: "a@b.c" }],
    ['Expect the Email field to have value ""', { action: "expectValue", target: T("Email", { kind: "field" }), value: "" }],
    ['Expect the Cart section to contain "1 item"', { action: "expectContains", target: T("Cart section"), value: "1 item" }],
    ['Expect the Status heading to contain "Done"', { action: "expectContains", target: T("Status", { kind: "heading" }), value: "Done" }],
    ["Expect 3 Delete buttons", { action: "expectCount", target: T("Delete", { kind: "button" }), count: 3 }],
    ["Expect 1 Delete button", { action: "expectCount", target: T("Delete", { kind: "button" }), count: 1 }],
    ["Expect two checkboxes", { action: "expectCount", target: T("", { kind: "checkbox" }), count: 2 }],
    ["Expect no Delete buttons", { action: "expectCount", target: T("Delete", { kind: "button" }), count: 0 }],
    ["Expect 2FA code field to be visible", { action: "expectState", target: T("2FA code", { kind: "field", literalName: "2FA code field", literalHasType: true }), state: "visible" }],
    // With no article the type word may end the name ("Open menu" is shadcn's row-menu button); with one it is a type.
    ["Click Open menu", { action: "click", target: T("Open", { kind: "menu", literalName: "Open menu", literalHasType: true }) }],
    ["Click the Open menu", { action: "click", target: T("Open", { kind: "menu" }) }],
    ['Click "Insert" link', { action: "click", target: T("Insert", { kind: "link", exact: true }) }],
    // overrides
    ["Click css:#submit", { action: "click", target: Q("#submit", { override: { type: "css", selector: "#submit" } }) }],
    ['Click css:input[name="q"]', { action: "click", target: Q('input[name="q"]', { override: { type: "css", selector: 'input[name="q"]' } }) }],
    ["Click role:button=Save", { action: "click", target: Q("Save", { override: { type: "role", role: "button", name: "Save" } }) }],
    ['Click role:button="Save changes"', { action: "click", target: Q("Save changes", { override: { type: "role", role: "button", name: "Save changes" } }) }],
    ["Click role:navigation", { action: "click", target: Q("navigation", { override: { type: "role", role: "navigation" } }) }],
    ['Fill "x" in testid:search-input', { action: "fill", value: "x", target: Q("search-input", { override: { type: "testid", testId: "search-input" } }) }],
    ["Click the first css:.item", { action: "click", target: Q(".item", { ordinal: 0, override: { type: "css", selector: ".item" } }) }],
  ])("%s", (line, expected) => {
    expect(one(line)).toEqual(expected);
  });
});

describe("parseStepLine: tricky cases", () => {
  it.each<[string, Omit<Step, "line" | "text">]>([
    // "in the X field" is the target; "in the Login dialog" the scope.
    [
      'Fill "x" in the Search field in the Login dialog',
      { action: "fill", value: "x", target: T("Search", { kind: "field", within: { kind: "dialog", name: "Login" } }) },
    ],
    [
      'Fill the Search field with "x" in the Login dialog',
      { action: "fill", value: "x", target: T("Search", { kind: "field", within: { kind: "dialog", name: "Login" } }) },
    ],
    // "in" without the/a/quote + region word is part of the name.
    ["Click Log in", { action: "click", target: T("Log in") }],
    ["Click Sign in form", { action: "click", target: T("Sign in form") }],
    ["Click Log in in the Header section", { action: "click", target: T("Log in", { within: { kind: "section", name: "Header" } }) }],
    // A quoted name followed by a type word.
    ['Fill "milk" in the "What needs to be done?" field', { action: "fill", value: "milk", target: Q("What needs to be done?", { kind: "field" }) }],
    // Keywords inside quotes are never grammar.
    ['Expect text "Log in to the Login dialog"', { action: "expectText", value: "Log in to the Login dialog" }],
    ['Fill "in the Login dialog" in the Note field', { action: "fill", value: "in the Login dialog", target: T("Note", { kind: "field" }) }],
    // Scopes
    ['Click Save in the "Edit user" dialog', { action: "click", target: T("Save", { within: { kind: "dialog", name: "Edit user" } }) }],
    ['Click the Delete button in row "Alice"', { action: "click", target: T("Delete", { kind: "button", within: { kind: "row", name: "Alice" } }) }],
    ['Click the 2nd Delete button in the row "Alice"', { action: "click", target: T("Delete", { kind: "button", ordinal: 1, literalName: "2nd Delete", within: { kind: "row", name: "Alice" } }) }],
    ["Click Pay in the Checkout form", { action: "click", target: T("Pay", { within: { kind: "form", name: "Checkout" } }) }],
    ["Click Pay in the Payment frame", { action: "click", target: T("Pay", { within: { kind: "frame", name: "Payment" } }) }],
    ["Click Accept in the Cookies region", { action: "click", target: T("Accept", { within: { kind: "region", name: "Cookies" } }) }],
    ["Click OK in the dialog", { action: "click", target: T("OK", { within: { kind: "dialog", name: "" } }) }],
    ["Click Contact in the footer", { action: "click", target: T("Contact", { within: { kind: "footer", name: "" } }) }],
    ["Click the Pricing link in the nav", { action: "click", target: T("Pricing", { kind: "link", within: { kind: "navigation", name: "" } }) }],
    ['Fill "mug" in the Search field in the header', { action: "fill", value: "mug", target: T("Search", { kind: "field", within: { kind: "header", name: "" } }) }],
    ["Click Read more in the main content", { action: "click", target: T("Read more", { within: { kind: "main", name: "" } }) }],
    ["Click Log out in the Account sidebar", { action: "click", target: T("Log out", { within: { kind: "sidebar", name: "Account" } }) }],
    // A landmark word that is part of the name, not a scope, stays in the name.
    ["Click Skip to main", { action: "click", target: T("Skip to main") }],
    ["Click OK in the Confirm modal", { action: "click", target: T("OK", { within: { kind: "dialog", name: "Confirm" } }) }],
    ['Expect text "Alice" in the Users section', { action: "expectText", value: "Alice", within: { kind: "section", name: "Users" } }],
    ['Expect text "© Acme" in the footer', { action: "expectText", value: "© Acme", within: { kind: "footer", name: "" } }],
    ["Press Enter on the Search field in the Login dialog", { action: "press", key: "Enter", target: T("Search", { kind: "field", within: { kind: "dialog", name: "Login" } }) }],
    // Numbering, articles, case, trailing period, apostrophes.
    ["1. Click the Log in button", { action: "click", target: T("Log in", { kind: "button" }) }],
    ["2) Click the Log in button.", { action: "click", target: T("Log in", { kind: "button" }) }],
    ["- CLICK THE LOG IN BUTTON", { action: "click", target: T("LOG IN", { kind: "button" }) }],
    ["Click Don't save", { action: "click", target: T("Don't save") }],
    ["Click a Buy button", { action: "click", target: T("Buy", { kind: "button" }) }],
    // Variables stay in the text.
    ['Fill "{{user}}" in the Username field', { action: "fill", value: "{{user}}", target: T("Username", { kind: "field" }) }],
  ])("%s", (line, expected) => {
    expect(one(line)).toEqual(expected);
  });

  it("keeps the line number and the written text (numbering stripped)", () => {
    const res = parseSteps("# login\n\n1. Click the Log in button\n// note\n2. Go back\n");
    expect(res).toEqual({
      ok: true,
      steps: [
        { line: 3, text: "Click the Log in button", action: "click", target: T("Log in", { kind: "button" }) },
        { line: 5, text: "Go back", action: "back" },
      ],
    });
  });

  it("parses the seeded demo test", () => {
    const res = parseSteps('Fill "alice" in the Username field\nFill "wonderland" in the Password field\nClick the Log in button\nExpect text "Welcome, alice"');
    expect(res.ok && res.steps.map((s) => s.action)).toEqual(["fill", "fill", "click", "expectText"]);
  });
});

describe("parseSteps: errors", () => {
  it.each<[string, RegExp, RegExp]>([
    ["Clik the Log in button", /unknown action "Clik".*click/, /^Click the Log in button$/],
    ["Fil \"alice\" in the Username field", /unknown action "Fil"/, /^Fill "alice" in the Username field$/],
    ["Fill Username with alice", /must be in quotes/, /^Fill Username with "alice"$/],
    ["Select France from the Country dropdown", /must be in quotes/, /^Select "France" from the Country dropdown$/],
    ["Expect text Welcome", /must be in quotes/, /^Expect text "Welcome"$/],
    ["Expect the Save button visible", /to be visible/, /^Expect the Save button to be visible$/],
    ["Expect Save button is disabled", /to be visible/, /^Expect Save button to be disabled$/],
    ["Fill in the Username field", /Fill/, /Fill "alice" in the Username field/],
    ["Click", /Click/, /Click the Log in button/],
    ["Click the", /element is missing/, /Click the Log in button/],
    ["Type x", /Type/, /Type "hello" into/],
    ["Select from the Country dropdown", /Select/, /Select "France" from the Country dropdown/],
    ["Go to home", /not a URL/, /Go to https:\/\/example\.com/],
    ["Go to ftp://x.org", /not a URL/, /Go to/],
    ["Press Foo", /not a key/, /Press Enter/],
    ["Press Enter+A", /not a key/, /Press Enter/],
    ["Wait 10 minutes", /5 minutes/, /Wait 2 seconds/],
    ["Wait", /Wait/, /Wait 2 seconds/],
    ["Expect something nice", /Expect/, /Expect text "Welcome"/],
    ['Fill "alice in the Username field', /never closed/, /Fill "alice"/],
    ["Make coffee", /unknown action "Make"/, /.+/],
    ['Expect text "x" in the Basement', /not a region/, /Expect text/],
    ["Upload report.pdf to the Attachments field", /file name must be in quotes/, /^Upload "report\.pdf" to the Attachments field$/],
    ["Upload data.csv", /file name must be in quotes/, /^Upload "data\.csv"$/],
    ["Upload to the Attachments field", /quoted file name/, /Upload "report\.pdf" to the Attachments field/],
    ['Uplaod "a.pdf" to Resume', /unknown action "Uplaod".*upload/, /^Upload "a\.pdf" to Resume$/],
    ['Upload "" to Resume', /name the file/, /Upload "report\.pdf"/],
    ["Swich to the new tab", /unknown action "Swich".*switch/, /^Switch to the new tab$/],
    ["Switch to the new", /"Switch" is not followed/, /Switch to the new tab · Switch back to the previous tab/],
    ["Switch tabs", /"Switch" is not followed/, /Switch to the new tab/],
    ["Close all tabs", /"Close" is not followed/, /Close the tab/],
    ["Expnad the Shipping section", /unknown action "Expnad".*expand/, /^Expand the Shipping section$/],
    ["Colapse FAQ", /unknown action "Colapse"/, /^Collapse FAQ$/],
    ["Expand", /Expand/, /Expand the Shipping section/],
    ["Expand the section", /name the section/, /Expand the Shipping section/],
  ])("%s", (line, reason, suggestion) => {
    const res = parseSteps(`Go back\n${line}`);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toHaveLength(1);
    const [e] = res.errors;
    expect(e!.line).toBe(2);
    expect(e!.text).toBe(line);
    expect(e!.reason).toMatch(reason);
    expect(e!.suggestion).toMatch(suggestion);
  });

  it("reports every bad line, not just the first", () => {
    const res = parseSteps("Clik A\nGo back\nFoo\n");
    expect(res.ok ? [] : res.errors.map((e) => e.line)).toEqual([1, 3]);
  });

  it("rejects an empty source", () => {
    const res = parseSteps("\n# only a comment\n");
    expect(res.ok).toBe(false);
  });
});

describe("parseStepLine: assertion-only mode (Expected: lines)", () => {
  it.each([
    ['title contains "Artificial intelligence"', "expectTitle"],
    ['URL contains "/wiki/Artificial_intelligence"', "expectUrl"],
    ['Expect text "Artificial intelligence"', "expectText"],
    ['text "Artificial intelligence"', "expectText"],
    ["the Search field to be visible", "expectState"],
  ])("%s", (line, action) => {
    const res = parseStepLine(line, 4, { assertionOnly: true });
    expect(res.ok && res.step.action).toBe(action);
  });

  it.each([
    ["Article about Artificial Intelligence is displayed", /not an assertion/],
    ["Click the Log in button", /must be an assertion/],
    ["The user is logged in", /not an assertion/],
  ])("rejects %s", (line, reason) => {
    const res = parseStepLine(line, 4, { assertionOnly: true });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.reason).toMatch(reason);
      expect(res.error.suggestion).toMatch(/Expect text/);
    }
  });
});

describe("parseStepLine: `for X` / `next to X` read both ways", () => {
  const item = (name: string) => ({ kind: "item", name });
  it.each<[string, Record<string, unknown>]>([
    ["Click Add to cart for Hoodie", T("Add to cart for Hoodie", { scoped: T("Add to cart", { within: item("Hoodie") }) })],
    ["Click Edit for Bob", T("Edit for Bob", { scoped: T("Edit", { within: item("Bob") }) })],
    ["Click Delete next to Carol", T("Delete next to Carol", { scoped: T("Delete", { within: item("Carol") }) })],
    ["Click the Remove link beside Mug", T("Remove link beside Mug", { scoped: T("Remove", { kind: "link", within: item("Mug") }) })],
    // The real name stays the literal reading: discovery tries it first.
    ["Click Search for jobs", T("Search for jobs", { scoped: T("Search", { within: item("jobs") }) })],
    ["Click Sign up for free", T("Sign up for free", { scoped: T("Sign up", { within: item("free") }) })],
    // Quoted item names, quoted element names, ordinals and a region word after "for".
    ['Check the checkbox for "Invoice 1042"', T('checkbox for "Invoice 1042"', { scoped: T("", { kind: "checkbox", within: item("Invoice 1042") }) })],
    ['Click "Add to cart" for the Hoodie', T('"Add to cart" for the Hoodie', { scoped: Q("Add to cart", { within: item("Hoodie") }) })],
    [
      "Click the second Delete button for Bob",
      T("Delete button for Bob", { ordinal: 1, literalName: "second Delete button for Bob", scoped: T("Delete", { kind: "button", ordinal: 1, literalName: "second Delete", within: item("Bob") }) }),
    ],
    ["Click Edit for the Hoodie card", T("Edit for the Hoodie card", { scoped: T("Edit", { within: { kind: "section", name: "Hoodie" } }) })],
    // The last "for" splits: the words before it may hold one too.
    ["Click Apply for jobs for Bob", T("Apply for jobs for Bob", { scoped: T("Apply for jobs", { within: item("Bob") }) })],
  ])("%s", (line, target) => {
    expect(one(line).target).toEqual(target);
  });

  it.each([
    ["Click the Search for jobs button", T("Search for jobs", { kind: "button" })], // a type word ends it: a name
    ['Click "Add to cart for Hoodie"', Q("Add to cart for Hoodie")], // quoted: exactly that name
    ["Click Edit for Bob in the Users section", T("Edit for Bob", { within: { kind: "section", name: "Users" } })], // one region per step
    ["Click css:.row for x", { name: ".row for x", exact: true, override: { type: "css", selector: ".row for x" } }],
  ])("%s has no scoped reading", (line, target) => {
    expect(one(line).target).toEqual(target);
  });

  it("reads the other forms' targets the same way", () => {
    expect(one('Fill "2" in the Quantity field for Hoodie').target?.scoped).toEqual(T("Quantity", { kind: "field", within: item("Hoodie") }));
    expect(one("Expect 2 Delete buttons for Bob").target?.scoped).toEqual(T("Delete", { kind: "button", within: item("Bob") }));
    expect(one('Choose "Yes" for "Do you already have a passport?"').target).toEqual(Q("Do you already have a passport?"));
    expect(one("Wait for the Save button").target).toEqual(T("Save", { kind: "button" }));
  });
});

describe("normalizeKey", () => {
  it.each([
    ["enter", "Enter"], ["Return", "Enter"], ["TAB", "Tab"], ["Esc", "Escape"], ["space", "Space"],
    ["Page Down", "PageDown"], ["arrow-up", "ArrowUp"], ["Ctrl+Shift+K", "Control+Shift+K"], ["cmd+a", "Meta+A"],
    ["F5", "F5"], ["a", "a"], ["Shift+Tab", "Shift+Tab"], ["ControlOrMeta+C", "ControlOrMeta+C"], ["KeyA", "KeyA"],
  ])("%s -> %s", (input, key) => {
    expect(normalizeKey(input)).toBe(key);
  });
  it.each(["Foo", "Ctrl+", "A+Ctrl", "F13"])("rejects %s", (input) => {
    expect(normalizeKey(input)).toBeUndefined();
  });
});

describe("formatStep", () => {
  it.each([
    'Fill "x" in the Search field in the Login dialog',
    "Click the 2nd Delete button in row \"Alice\"",
    'Expect the Email field to have value ""',
    "Expect 3 Delete buttons",
    "Press Control+A",
    "Press Enter on the Search field",
    "Wait 2 seconds",
    "Click role:button=Save",
    'Expect text "Alice" in the Users section',
    'Select "France" from the Country dropdown',
    "Wait for the Spinner to disappear",
    "Click the last Remove link",
    "Expect the Terms checkbox to be unchecked",
    "Scroll down",
    "Scroll to the bottom",
    "Scroll to the Pricing section",
    "Expand the Shipping section",
    "Collapse the FAQ button in the Help dialog",
    'Upload "a.pdf" to the Resume field',
    'Upload "data.csv"',
    "Switch to the new tab",
    "Switch back to the previous tab",
    "Switch to the first tab",
    "Close the tab",
    "Click Add to cart for Hoodie",
    "Click the second Delete button next to Bob",
  ])("round-trips %s", (line) => {
    const step = one(line);
    const again = one(formatStep(step));
    // Formatting quotes every name, so it comes back exact; everything else is identical.
    // The ordinal comes back spelled out ("2nd" -> "second"), so the literal phrase may differ.
    const norm = (s: Omit<Step, "line" | "text">) => (s.target ? { ...s, target: { ...s.target, exact: true, literalName: undefined } } : s);
    expect(norm(again)).toEqual(norm(step));
  });
});
