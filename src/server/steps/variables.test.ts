import { describe, expect, it } from "vitest";
import type { Step } from "@/domain/step";
import { parseSteps } from "./step-parser";
import { bindSteps, bindVariables, checkDataRows, createBuiltins, findVariables } from "./variables";

function steps(source: string): Step[] {
  const res = parseSteps(source);
  if (!res.ok) throw new Error(JSON.stringify(res.errors));
  return res.steps;
}

describe("findVariables", () => {
  it("finds variables in values, names, overrides and regions, sorted and unique", () => {
    const s = steps(
      [
        'Fill "{{user}}" in the {{field}} field',
        'Fill "{{ user }}" in testid:{{tid}}',
        'Click Save in the "{{dialog}}" dialog',
        "Go to {{baseUrl}}/x",
        'Expect text "id-{{uuid}}"',
        "Click css:#{{id}}",
        "Click role:button={{label}}",
      ].join("\n"),
    );
    expect(findVariables(s)).toEqual(["baseUrl", "dialog", "field", "id", "label", "tid", "user", "uuid"]);
  });
  it("is empty without variables", () => {
    expect(findVariables(steps("Click the Log in button"))).toEqual([]);
  });
});

describe("bindVariables", () => {
  const builtins = { timestamp: "1700000000000", uuid: "u-1", date: "2024-01-02" };
  it.each<[string, Record<string, string>, Partial<Step>]>([
    ['Fill "{{user}}" in the Username field', { user: "alice" }, { value: "alice" }],
    ['Fill "{{user}}@{{domain}}" in Email', { user: "a", domain: "b.c" }, { value: "a@b.c" }],
    ['Fill "u{{timestamp}}" in Email', {}, { value: "u1700000000000" }],
    ['Fill "{{uuid}} {{date}}" in Email', {}, { value: "u-1 2024-01-02" }],
    ['Fill "{{timestamp}}" in Email', { timestamp: "row wins" }, { value: "row wins" }],
    ['Fill "" in Email', {}, { value: "" }],
  ])("%s with %j", (line, row, expected) => {
    const [step] = steps(line);
    expect(bindVariables(step!, row, builtins)).toMatchObject(expected);
  });

  it("binds target names, overrides and regions but keeps the written text", () => {
    const [a, b, c] = steps('Click the {{name}} button in the "{{d}}" dialog\nClick css:#{{id}}\nClick role:button={{label}}');
    const row = { name: "Save", d: "Edit", id: "go", label: "OK" };
    const bound = bindVariables(a!, row, builtins);
    expect(bound.target).toMatchObject({ name: "Save", kind: "button", within: { kind: "dialog", name: "Edit" } });
    expect(bound.text).toBe(a!.text);
    expect(a!.target!.name).toBe("{{name}}"); // the input step is not mutated
    expect(bindVariables(b!, row, builtins).target!.override).toEqual({ type: "css", selector: "#go" });
    expect(bindVariables(c!, row, builtins).target).toMatchObject({ name: "OK", override: { type: "role", role: "button", name: "OK" } });
  });

  it("throws an error naming an unknown variable", () => {
    const [step] = steps('Fill "{{nope}}" in the Username field');
    expect(() => bindVariables(step!, { user: "x" }, builtins)).toThrow(/Unknown variable \{\{nope\}\} in step 1.*known variables: date, timestamp, user, uuid/);
  });

  it("bindSteps shares one set of built-ins across a run", () => {
    const s = steps('Fill "user-{{uuid}}" in Email\nExpect text "user-{{uuid}}"');
    const [x, y] = bindSteps(s, {});
    expect(x!.value).toMatch(/^user-[0-9a-f-]{36}$/);
    expect(y!.value).toBe(x!.value);
  });

  it("createBuiltins derives timestamp and date from the clock", () => {
    const b = createBuiltins(new Date("2024-03-04T05:06:07.000Z"));
    expect(b.timestamp).toBe(String(Date.parse("2024-03-04T05:06:07.000Z")));
    expect(b.date).toBe("2024-03-04");
    expect(b.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });
});

describe("checkDataRows", () => {
  const s = steps('Fill "{{user}}" in Username\nFill "{{pw}}-{{timestamp}}" in Password');
  it.each<[Record<string, string>[], string[]]>([
    [[{ user: "a", pw: "b" }], []],
    [[{ user: "a", pw: "b" }, { user: "c" }], ["data row 2 has no value for {{pw}}"]],
    [[], ['variable {{pw}} has no value: add a data row with a "pw" column', 'variable {{user}} has no value: add a data row with a "user" column']],
  ])("%j", (rows, problems) => {
    expect(checkDataRows(s, rows)).toEqual(problems);
  });
  it("needs nothing for built-ins only", () => {
    expect(checkDataRows(steps('Fill "{{uuid}}" in X'), [])).toEqual([]);
  });
});
