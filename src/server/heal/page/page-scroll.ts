// The page scroll of a `Scroll down|up` / `Scroll to the top|bottom` step, as in-page source: the executor runs it
// and the generated spec carries the same text, so both scroll the same box the same distance. Plain JavaScript
// (no TypeScript, no helpers a bundler could inject), because it is sent to the page as a string.

/**
 * `(where) => moved`: scrolls the document a screen (80% of its height) down or up, or to its top or bottom. When
 * the document has (almost) no room left that way — an app shell whose content pane scrolls, or a body a few
 * pixels taller than the window — the largest visible scrolling container with room is scrolled instead.
 * Returns how many pixels it moved.
 */
export const SCROLL_PAGE_FN = `(where) => {
  const doc = document.scrollingElement || document.documentElement;
  const down = where === "down" || where === "bottom";
  const room = (e) => (down ? e.scrollHeight - e.clientHeight - e.scrollTop : e.scrollTop);
  const area = (e) => e.clientHeight * e.clientWidth;
  let box = doc;
  if (room(doc) < doc.clientHeight / 4) {
    let best = null;
    // Every element of the page, inside open shadow roots too (a web-component app's scrolling pane).
    const look = (root) => {
      for (const e of root.querySelectorAll("*")) {
        if (e.clientHeight > 0 && room(e) > 1 && (!best || area(e) > area(best)) && /(auto|scroll|overlay)/.test(getComputedStyle(e).overflowY)) best = e;
        if (e.shadowRoot) look(e.shadowRoot);
      }
    };
    look(document.body || document.documentElement);
    if (best) box = best;
  }
  const before = box.scrollTop;
  const screen = Math.round(box.clientHeight * 0.8);
  box.scrollTop = where === "top" ? 0 : where === "bottom" ? box.scrollHeight : where === "up" ? before - screen : before + screen;
  return Math.round(box.scrollTop - before);
}`;
