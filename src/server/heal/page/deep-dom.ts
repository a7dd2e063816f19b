// The one in-page walk that sees the page as a user does: through open shadow roots (nested ones included) and
// into same-origin iframes. Every in-page script that has to look past Playwright's own engines (which already
// pierce open shadow roots) uses these functions instead of document.querySelectorAll, document.body.innerText or
// parentElement chains, which all stop at the first shadow root.
//
// Plain ES5 in a string, like the other in-page libraries (see fingerprint-capture.ts for why): prepend it to a
// script's source and call the functions by name.
//
// - deepRoots(root): the root (a document or an element), every open shadow root under it, and the documents of same-origin iframes (and
//   theirs), in document order.
// - deepQueryAll(root, selector): querySelectorAll over root and every open shadow root (and same-origin iframe)
//   under it; root itself when it matches.
// - upNode(node): the node's parent, the host for a shadow root, the iframe element for a frame's document.
// - deepContains(a, b): a holds b, across shadow and frame boundaries.
// - deepParent(el): the nearest ancestor element, through shadow roots to their host (null above <html>).
// - observeDeep(obs, doc, options, seen): obs observes doc and every open shadow root (and same-origin frame) in
//   it that `seen` (a Set, returned) does not hold yet; call it again from the observer when elements were added,
//   as a new element may bring a shadow root of its own (a document's observer does not see into one).
// - addedElements(records): some record added an element.
// - visibleText(doc): the text a user sees. A page without shadow roots or same-origin iframes reads its body's
//   innerText, exactly as before; otherwise the composed tree is walked: a shadow host shows its shadow root, a
//   slot shows what is assigned to it (its fallback content only when nothing is), subtrees with neither are read
//   with innerText (which leaves out what CSS hides), and a text node in between counts when it has a box.
export const DEEP_DOM_LIB = String.raw`
function upNode(n) {
  if (!n) return null;
  if (n.parentNode) return n.parentNode;
  if (n.host) return n.host;
  if (n.nodeType === 9 && n.defaultView && n !== document) { try { return n.defaultView.frameElement; } catch (e) { return null; } }
  return null;
}
function deepParent(el) {
  for (var n = upNode(el); n; n = upNode(n)) if (n.nodeType === 1) return n;
  return null;
}
function deepContains(a, b) {
  for (var n = b; n; n = upNode(n)) if (n === a) return true;
  return false;
}
function frameDoc(el) {
  if (el.localName !== "iframe" && el.localName !== "frame") return null;
  try { var d = el.contentDocument; return d && d.documentElement ? d : null; } catch (e) { return null; }
}
function deepRoots(root) {
  var out = [];
  function inner(el) {
    if (el.shadowRoot) visit(el.shadowRoot);
    var d = frameDoc(el);
    if (d) visit(d);
  }
  function visit(r) {
    out.push(r);
    var all = r.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) inner(all[i]);
  }
  root = root || document;
  if (root.nodeType === 1) { out.push(root); var all = root.querySelectorAll("*"); inner(root); for (var i = 0; i < all.length; i++) inner(all[i]); }
  else visit(root);
  return out;
}
function deepQueryAll(root, selector) {
  var out = [];
  if (root.nodeType === 1 && root.matches(selector)) out.push(root);
  deepRoots(root).forEach(function (r) { var m = r.querySelectorAll(selector); for (var i = 0; i < m.length; i++) out.push(m[i]); });
  return out;
}
function observeDeep(obs, doc, options, seen) {
  seen = seen || new Set();
  deepRoots(doc || document).forEach(function (r) { if (!seen.has(r)) { seen.add(r); obs.observe(r, options); } });
  return seen;
}
function addedElements(records) {
  for (var i = 0; i < records.length; i++) {
    var a = records[i].addedNodes;
    if (a) for (var j = 0; j < a.length; j++) if (a[j].nodeType === 1) return true;
  }
  return false;
}
function visibleText(doc) {
  doc = doc || document;
  var roots = deepRoots(doc);
  var body = doc.body || doc.documentElement;
  if (roots.length === 1) return (body && body.innerText) || "";
  // Elements with a shadow host, a slot or a frame below them are walked node by node; the rest read innerText.
  var walkThrough = new Set();
  function mark(n) { for (var p = n; p && !walkThrough.has(p); p = upNode(p)) walkThrough.add(p); }
  roots.forEach(function (r) {
    if (r.host) mark(r.host);
    if (r.nodeType === 9 && r !== doc) mark(r);
    if (r.nodeType === 11) { var slots = r.querySelectorAll("slot"); for (var i = 0; i < slots.length; i++) mark(slots[i]); }
  });
  var parts = [], range = doc.createRange();
  function styleOf(el) { return el.ownerDocument.defaultView.getComputedStyle(el); }
  function shownText(t) {
    var p = t.parentNode && t.parentNode.nodeType === 1 ? t.parentNode : null;
    if (p && /^(script|style|template|noscript)$/.test(p.localName)) return false;
    if (p && styleOf(p).visibility !== "visible") return false;
    var r = t.ownerDocument.createRange();
    r.selectNodeContents(t);
    return r.getClientRects().length > 0;
  }
  function block(el) { var d = styleOf(el).display; return d !== "inline" && d !== "contents"; }
  function walk(n) {
    if (n.nodeType === 3) { if (shownText(n)) parts.push(n.data); return; }
    if (n.nodeType === 9) { if (n.body) walk(n.body); return; }
    if (n.nodeType === 11) { for (var c = n.firstChild; c; c = c.nextSibling) walk(c); return; }
    if (n.nodeType !== 1) return;
    var el = n, name = el.localName;
    if (/^(script|style|template|noscript|head)$/.test(name)) return;
    var cs = styleOf(el);
    if (cs.display === "none") return;
    if (!walkThrough.has(el)) {
      if (cs.display !== "contents" && el.checkVisibility && !el.checkVisibility()) return;
      var t = el.innerText;
      if (t) parts.push(block(el) ? " " + t + " " : t);
      return;
    }
    var sep = block(el);
    if (sep) parts.push(" ");
    var d = frameDoc(el);
    if (d) walk(d);
    else if (el.shadowRoot) walk(el.shadowRoot);
    else if (name === "slot" && el.assignedNodes().length) el.assignedNodes().forEach(walk);
    else for (var c = el.firstChild; c; c = c.nextSibling) walk(c);
    if (sep) parts.push(" ");
  }
  walk(body);
  return parts.join("");
}
`;

/**
 * For an init script that runs before the page's own: every shadow root attached from then on (open or closed) is
 * handed to `onRoot(root)`, so a document-wide MutationObserver can observe it too. Source of a statement.
 */
export const ON_SHADOW_ROOT_INIT = String.raw`
function onShadowRoots(onRoot) {
  var attach = Element.prototype.attachShadow;
  if (!attach || attach.__pactsWrapped) return;
  var wrapped = function () { var root = attach.apply(this, arguments); try { onRoot(root); } catch (e) {} return root; };
  Object.defineProperty(wrapped, "__pactsWrapped", { value: true });
  Element.prototype.attachShadow = wrapped;
}
`;
