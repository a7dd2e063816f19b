// Pages built on open shadow roots, for the heal engine's shadow-DOM tests: a to-do app made of plain custom
// elements nested three deep (app > list > item), with slots whose fallback text is hidden once content is
// projected and a <template> whose copy is never shown.

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
