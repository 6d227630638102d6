// Layout faults a person in front of the screen would see, found from the rendered boxes.
// Evaluated by Playwright (tests/browser/layout.py); returns a list of findings, empty when the
// page is laid out well:
//   sliver   – text of several words (or a long word) squeezed into lines about two characters wide
//   overflow – content running past the right edge of the viewport (the page scrolls sideways)
//   overlap  – two panels drawn over each other, or a panel's text running over another panel
() => {
  "use strict";
  const findings = [];
  const viewportWidth = document.documentElement.clientWidth;
  const PANELS = "section, article, aside, nav, header, footer, fieldset, figure, details, table, li, .panel";
  const SKIP = "script, style, template, noscript, svg, head";

  function describe(element) {
    const parts = [];
    for (let el = element; el && el.nodeType === 1 && parts.length < 4; el = el.parentElement) {
      let part = el.tagName.toLowerCase();
      if (el.id) { parts.unshift(part + "#" + el.id); break; }
      const classes = Array.from(el.classList).slice(0, 2);
      if (classes.length) { part += "." + classes.join("."); }
      parts.unshift(part);
    }
    return parts.join(" > ");
  }

  function snippet(text) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 60 ? text.slice(0, 57) + "…" : text;
  }

  // Shown to a sighted person: rendered, not hidden, not clipped to nothing, not moved off screen.
  function shown(element) {
    if (element.closest(SKIP) || element.closest("[hidden], [aria-hidden='true']")) { return false; }
    if (element.closest(".visually-hidden, .skip-link")) { return false; }
    if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) { return false; }
    const rect = element.getBoundingClientRect();
    return rect.width > 1 || rect.height > 1;
  }

  // Out of the normal flow: drawn over other things on purpose (menus, overlays, sticky bars).
  function floating(element) {
    for (let el = element; el && el !== document.body; el = el.parentElement) {
      const position = getComputedStyle(el).position;
      if (position === "absolute" || position === "fixed" || position === "sticky") { return true; }
    }
    return false;
  }

  // The part of a rectangle left visible by the element's scrolling or clipping ancestors.
  function clipped(rect, element) {
    let { left, top, right, bottom } = rect;
    for (let el = element.parentElement; el && el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX === "visible" && style.overflowY === "visible") { continue; }
      const box = el.getBoundingClientRect();
      left = Math.max(left, box.left); right = Math.min(right, box.right);
      top = Math.max(top, box.top); bottom = Math.min(bottom, box.bottom);
    }
    return { left, top, right, bottom };
  }

  function overlaps(a, b, slack) {
    return Math.min(a.right, b.right) - Math.max(a.left, b.left) > slack &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > slack;
  }

  // Elements that hold text themselves, with the text and the rectangles of its lines.
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const byElement = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) { continue; }
    const element = node.parentElement;
    if (!byElement.has(element)) { byElement.set(element, []); }
    byElement.get(element).push(node);
  }
  byElement.forEach((nodes, element) => {
    if (!shown(element)) { return; }
    const range = document.createRange();
    const lines = [];
    nodes.forEach((node) => {
      range.selectNodeContents(node);
      Array.from(range.getClientRects()).forEach((r) => { if (r.width > 0 && r.height > 0) { lines.push(r); } });
    });
    if (lines.length) {
      const rects = lines.map((r) => clipped(r, nodes[0]));
      texts.push({ element, text: nodes.map((n) => n.textContent).join(""), lines, rects });
    }
  });

  // 1. Slivers: several words (or one long one) laid out in lines narrower than about two characters.
  texts.forEach(({ element, text, lines }) => {
    const words = text.trim().split(/\s+/).filter((w) => /\w/u.test(w));
    if (words.length < 2 && text.trim().length < 8) { return; }
    const style = getComputedStyle(element);
    const widest = Math.max(...lines.map((r) => r.width));
    if (widest < 1.5 * parseFloat(style.fontSize)) {
      findings.push({
        kind: "sliver",
        where: describe(element),
        text: snippet(text),
        detail: `${lines.length} lines at most ${Math.round(widest)} px wide at ${style.fontSize}`,
      });
    }
  });

  // 2. Overflow: the page scrolls sideways; name what sticks out (outside any scrolling box).
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > viewportWidth + 1) {
    const culprits = [];
    document.body.querySelectorAll("*").forEach((element) => {
      if (culprits.length >= 5 || !shown(element)) { return; }
      const rect = element.getBoundingClientRect();
      if (rect.right <= viewportWidth + 1) { return; }
      for (let el = element.parentElement; el && el !== document.body; el = el.parentElement) {
        if (el.getBoundingClientRect().right > viewportWidth + 1) { return; } // report the outermost only
      }
      culprits.push(`${describe(element)} (right edge at ${Math.round(rect.right)} px)`);
    });
    findings.push({
      kind: "overflow",
      where: culprits.join("; ") || "document",
      text: "",
      detail: `page is ${scrollWidth} px wide in a ${viewportWidth} px viewport`,
    });
  }

  // 3. Overlap: panels side by side in the flow must not cover each other, and no panel's text
  //    may run over a panel it is not part of.
  const panels = Array.from(document.body.querySelectorAll(PANELS)).filter((p) => shown(p) && !floating(p));
  const panelRects = new Map(panels.map((p) => [p, clipped(p.getBoundingClientRect(), p)]));
  const seen = new Set();
  panels.forEach((panel) => {
    const parent = panel.parentElement;
    if (seen.has(parent)) { return; }
    seen.add(parent);
    const siblings = Array.from(parent.children).filter((c) => panelRects.has(c));
    for (let i = 0; i < siblings.length; i++) {
      for (let j = i + 1; j < siblings.length; j++) {
        if (overlaps(panelRects.get(siblings[i]), panelRects.get(siblings[j]), 2)) {
          findings.push({
            kind: "overlap",
            where: `${describe(siblings[i])} and ${describe(siblings[j])}`,
            text: snippet(siblings[j].textContent),
            detail: "panels cover each other",
          });
        }
      }
    }
  });
  const reported = new Set();
  texts.forEach(({ element, text, rects }) => {
    if (floating(element)) { return; }
    for (const panel of panels) {
      if (panel.contains(element) || element.contains(panel) || reported.has(panel)) { continue; }
      const box = panelRects.get(panel);
      if (rects.some((r) => overlaps(r, box, 2))) {
        reported.add(panel);
        findings.push({
          kind: "overlap",
          where: `${describe(element)} runs over ${describe(panel)}`,
          text: snippet(text),
          detail: "text drawn over another panel",
        });
        break;
      }
    }
  });
  return findings;
}
