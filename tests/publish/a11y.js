// A focused WCAG 2.1 AA check of the page it is evaluated in; returns a list of problems.
// Checks: page language and title, one h1, text alternatives of images, accessible names of
// controls, captions on videos, and the contrast of every piece of visible text.
() => {
  const problems = [];
  const doc = document.documentElement;
  if (!doc.lang) problems.push("html has no lang");
  if (!document.title.trim()) problems.push("page has no title");
  if (document.querySelectorAll("h1").length !== 1) problems.push("page needs exactly one h1");
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("img without alt: " + img.src);
  }
  const nameOf = (el) => {
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    const by = el.getAttribute("aria-labelledby");
    if (by) return by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || "").join(" ");
    const alts = [...el.querySelectorAll("img[alt]")].map((i) => i.alt).join(" ");
    return (el.textContent + " " + alts).trim();
  };
  for (const el of document.querySelectorAll("a[href], button, video, input, select, textarea, [role=button]")) {
    if (!nameOf(el).trim()) problems.push("control without a name: " + el.outerHTML.slice(0, 80));
  }
  for (const section of document.querySelectorAll("section, aside, nav, [role=toolbar]")) {
    if (section.matches("section, [role=toolbar]") && !nameOf(section).trim()) {
      problems.push("region without a name: " + section.outerHTML.slice(0, 60));
    }
  }
  for (const video of document.querySelectorAll("video")) {
    if (!video.querySelector('track[kind="subtitles"], track[kind="captions"]')) problems.push("video without captions");
  }
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    const v = m[1].split(",").map((x) => parseFloat(x));
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let checked = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("script, style, video")) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.getClientRects().length === 0) continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    checked += 1;
    if (ratio < needed) {
      problems.push(`contrast ${ratio.toFixed(2)} < ${needed} for "${node.textContent.trim().slice(0, 40)}"`);
    }
  }
  if (checked === 0) problems.push("no text was checked");
  return problems;
}
