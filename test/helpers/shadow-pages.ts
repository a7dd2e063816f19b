// Pages built on open shadow roots, for the heal engine's shadow-DOM tests: a to-do app made of plain custom
// elements nested three deep (app > list > item), with slots whose fallback text is hidden once content is
// projected and a <template> whose copy is never shown; and the same kind of app written with Lit, served with
// the lit packages from node_modules.
import { readFile } from "node:fs";
import type { RequestListener } from "node:http";
import path from "node:path";


/** The app, as plain custom elements. `redesign`: the same controls moved into other custom elements (the
 * input into <new-task>, rows into <task-row>), with other ids and classes. */
export function todoElementsPage(opts: { redesign?: boolean } = {}): string {
  const [input, item, list] = opts.redesign ? ["new-task", "task-row", "task-list"] : ["todo-input", "todo-item", "todo-list"];
  const inputHtml = opts.redesign
    ? '<div class="box"><label for="t">New task</label><input id="t" class="field" placeholder="What needs to be done?"></div>'
    : '<label>New task <input id="new" class="new-todo" placeholder="What needs to be done?"></label>';
  const itemHtml = opts.redesign
    ? '<div role="listitem" class="row"><span class="txt"></span><input type="checkbox" class="done" aria-label="Done"><button class="rm">Delete</button></div>'
    : '<li><input type="checkbox" class="toggle" aria-label="Done"><span class="title"></span><button class="destroy">Delete</button></li>';
  const listHtml = opts.redesign ? '<div role="list"></div>' : "<ul></ul>";
  return `<!doctype html><html><head><title>Todos</title></head><body>
<todo-app></todo-app>
<script>
function define(name, html, init) {
  customElements.define(name, class extends HTMLElement {
    constructor() { super(); this.attachShadow({ mode: "open" }).innerHTML = html; if (init) init(this, this.shadowRoot); }
  });
}
define(${JSON.stringify(input)}, ${JSON.stringify(inputHtml)}, function (host, root) {
  root.querySelector("input").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.value) { host.dispatchEvent(new CustomEvent("add", { detail: e.target.value, bubbles: true, composed: true })); e.target.value = ""; }
  });
});
define(${JSON.stringify(item)}, ${JSON.stringify(itemHtml)}, function (host, root) {
  root.querySelector("button").addEventListener("click", function () { host.dispatchEvent(new CustomEvent("remove", { bubbles: true, composed: true })); });
  root.querySelector("input").addEventListener("change", function () { host.dispatchEvent(new CustomEvent("changed", { bubbles: true, composed: true })); });
});
define(${JSON.stringify(list)}, ${JSON.stringify(listHtml)});
define("todo-card", '<section><h2><slot name="title">Hidden fallback title</slot></h2><slot></slot><p hidden>Hidden note</p></section>');
define("todo-app", '<h1>todos</h1><${input}></${input}><${list}></${list}><footer><span id="count">0 items left</span></footer>' +
  '<todo-card><span slot="title">Projected title</span><p>Card body</p></todo-card><template><p>Template copy</p></template>', function (host, root) {
  var list = root.querySelector(${JSON.stringify(list)}).shadowRoot.firstElementChild;
  function count() {
    var n = Array.prototype.filter.call(list.children, function (i) { return !i.shadowRoot.querySelector("input").checked; }).length;
    root.querySelector("#count").textContent = n + (n === 1 ? " item left" : " items left");
  }
  root.addEventListener("add", function (e) {
    var item = document.createElement(${JSON.stringify(item)});
    item.shadowRoot.querySelector("span").textContent = e.detail;
    list.append(item);
    count();
  });
  root.addEventListener("remove", function (e) { e.composedPath()[0].remove(); count(); });
  root.addEventListener("changed", count);
});
</script></body></html>`;
}

/** The packages a Lit page imports, served from this repo's node_modules (no CDN). */
const LIT_PACKAGES = ["lit", "lit-html", "lit-element", "@lit/reactive-element"];

/** Each package's main module (its package.json "exports" ".") and its folder, for the page's import map. */
const MAIN: Record<string, string> = { lit: "index.js", "lit-html": "lit-html.js", "lit-element": "index.js", "@lit/reactive-element": "reactive-element.js" };
const IMPORT_MAP = JSON.stringify({
  imports: Object.fromEntries(LIT_PACKAGES.flatMap((p) => [[p, `/node_modules/${p}/${MAIN[p]}`], [`${p}/`, `/node_modules/${p}/`]])),
});

/**
 * A to-do app written with Lit (the npm package `lit`): <todo-app> renders <todo-input>, <todo-list> (whose rows
 * are <li><todo-item></li>, the item's checkbox, title and Delete button in the item's own shadow root) and
 * <todo-footer> with the count, the filters and Clear completed; a <todo-panel> projects its heading into a slot
 * that has fallback text.
 */
export const LIT_TODO_PAGE = `<!doctype html><html><head><title>Lit todos</title>
<script type="importmap">${IMPORT_MAP}</script></head><body>
<todo-app></todo-app>
<script type="module">
import { LitElement, html } from "lit";
class TodoInput extends LitElement {
  render() { return html\`<input class="new-todo" placeholder="What needs to be done?" autofocus @keydown=\${this.key}>\`; }
  key(e) {
    if (e.key !== "Enter" || !e.target.value.trim()) return;
    this.dispatchEvent(new CustomEvent("add", { detail: e.target.value.trim(), bubbles: true, composed: true }));
    e.target.value = "";
  }
}
class TodoItem extends LitElement {
  static properties = { todo: { attribute: false } };
  render() {
    const send = (type) => () => this.dispatchEvent(new CustomEvent(type, { detail: this.todo, bubbles: true, composed: true }));
    return html\`<div class="view"><input class="toggle" type="checkbox" aria-label="Toggle" .checked=\${this.todo.done} @change=\${send("toggle")}>
<label>\${this.todo.title}</label><button class="destroy" aria-label="Delete" @click=\${send("remove")}>×</button></div>\`;
  }
}
class TodoList extends LitElement {
  static properties = { todos: { attribute: false } };
  render() { return html\`<ul class="todo-list">\${this.todos.map((t) => html\`<li><todo-item .todo=\${t}></todo-item></li>\`)}</ul>\`; }
}
class TodoFooter extends LitElement {
  static properties = { left: { type: Number }, filter: {} };
  render() {
    const pick = (f) => (e) => { e.preventDefault(); this.dispatchEvent(new CustomEvent("filter", { detail: f, bubbles: true, composed: true })); };
    return html\`<span class="todo-count"><strong>\${this.left}</strong> \${this.left === 1 ? "item" : "items"} left</span>
<nav>\${["All", "Active", "Completed"].map((f) => html\`<a href="#/\${f.toLowerCase()}" class=\${this.filter === f ? "selected" : ""} @click=\${pick(f)}>\${f}</a> \`)}</nav>
<button class="clear-completed" @click=\${() => this.dispatchEvent(new CustomEvent("clear", { bubbles: true, composed: true }))}>Clear completed</button>\`;
  }
}
class TodoPanel extends LitElement {
  render() { return html\`<aside><h2><slot name="heading">Panel fallback heading</slot></h2><slot></slot><template><p>Panel template copy</p></template></aside>\`; }
}
class TodoApp extends LitElement {
  static properties = { todos: { state: true }, filter: { state: true } };
  constructor() {
    super();
    this.todos = [];
    this.filter = "All";
    this.addEventListener("add", (e) => { this.todos = [...this.todos, { title: e.detail, done: false }]; });
    this.addEventListener("toggle", (e) => { this.todos = this.todos.map((t) => (t === e.detail ? { ...t, done: !t.done } : t)); });
    this.addEventListener("remove", (e) => { this.todos = this.todos.filter((t) => t !== e.detail); });
    this.addEventListener("clear", () => { this.todos = this.todos.filter((t) => !t.done); });
    this.addEventListener("filter", (e) => { this.filter = e.detail; });
  }
  render() {
    const shown = this.todos.filter((t) => this.filter === "All" || (this.filter === "Active") !== t.done);
    return html\`<section class="todoapp"><header><h1>todos</h1><todo-input></todo-input></header>
<todo-list .todos=\${shown}></todo-list>
\${this.todos.length ? html\`<todo-footer .left=\${this.todos.filter((t) => !t.done).length} .filter=\${this.filter}></todo-footer>\` : ""}</section>
<todo-panel><span slot="heading">Tips</span><p>Double-click to edit a todo</p></todo-panel>\`;
  }
}
for (const [name, c] of Object.entries({ "todo-input": TodoInput, "todo-item": TodoItem, "todo-list": TodoList, "todo-footer": TodoFooter, "todo-panel": TodoPanel, "todo-app": TodoApp })) customElements.define(name, c);
</script></body></html>`;

/** Serves the Lit page at / and the lit packages from node_modules (GET only; nothing outside those packages). */
export function shadowPagesHandler(repoRoot: string, pages: Record<string, string> = {}): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const page = url.pathname === "/" ? LIT_TODO_PAGE : pages[url.pathname];
    if (page) return void res.writeHead(200, { "content-type": "text/html" }).end(page);
    const pkg = LIT_PACKAGES.find((p) => url.pathname.startsWith(`/node_modules/${p}/`));
    const rel = url.pathname.slice("/node_modules/".length);
    if (!pkg || rel.includes("..") || !rel.endsWith(".js")) return void res.writeHead(404).end();
    readFile(path.join(repoRoot, "node_modules", rel), (err, body) => {
      if (err) res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "text/javascript" }).end(body);
    });
  };
}
