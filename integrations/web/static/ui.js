// The page's few scripts: sortable tables, the matrix bubble chart and the health trend (plain SVG).
// Data comes from <script type="application/json"> blocks the server rendered; nothing is fetched.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function readJson(id) {
  const block = document.getElementById(id);
  return block ? JSON.parse(block.textContent) : null;
}

function fmt(v) { return v === null || v === undefined ? "-" : Number(v).toFixed(2); }

function money(v) {
  if (v === null || v === undefined) return "unknown";
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + "B";
  if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
  if (a >= 1e3) return (v / 1e3).toFixed(1) + "k";
  return v.toFixed(0);
}

// ------------------------------------------------------------------------------------------ sortable tables

function sortable(table) {
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, col) => {
    th.tabIndex = 0;
    const sort = () => {
      const asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      const numeric = th.dataset.type === "num";
      const rows = Array.from(table.tBodies[0].rows);
      const key = (row) => row.cells[col].dataset.sort ?? row.cells[col].textContent;
      rows.sort((r1, r2) => {
        const a = key(r1), b = key(r2);
        if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1; // unknown values last either way
        const c = numeric ? Number(a) - Number(b) : a.localeCompare(b);
        return asc ? c : -c;
      });
      rows.forEach((r) => table.tBodies[0].appendChild(r));
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (e) => { if (e.key === "Enter") sort(); });
  });
}

// ------------------------------------------------------------------------------------------ matrix chart

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function circleBox(c) { return { x: c.cx - c.r, y: c.cy - c.r, w: 2 * c.r, h: 2 * c.r }; }

function matrixChart(box, points) {
  const W = 960, H = 660, L = 64, R = 24, T = 24, B = 56;
  const threshold = Number(box.dataset.threshold || 3);
  const names = JSON.parse(box.dataset.labels);
  const x = (s) => L + ((s - 1) / 4) * (W - L - R);
  const y = (a) => H - B - ((a - 1) / 4) * (H - T - B);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "KAM matrix" }, box);

  const quads = [["develop", 1, threshold, threshold, 5], ["strategic_growth", threshold, 5, threshold, 5],
                 ["maintain_exit", 1, threshold, 1, threshold], ["defend", threshold, 5, 1, threshold]];
  const quadLabels = [];
  for (const [q, s0, s1, a0, a1] of quads) {
    el("rect", { class: `bg-${q}`, x: x(s0), y: y(a1), width: x(s1) - x(s0), height: y(a0) - y(a1) }, svg);
    const label = el("text", { class: "quad-label", x: (x(s0) + x(s1)) / 2, y: y(a1) + 20, "text-anchor": "middle" }, svg);
    label.textContent = names[q];
    quadLabels.push(label);
  }
  el("line", { class: "threshold", x1: x(threshold), x2: x(threshold), y1: y(1), y2: y(5) }, svg);
  el("line", { class: "threshold", x1: x(1), x2: x(5), y1: y(threshold), y2: y(threshold) }, svg);
  el("rect", { class: "axis-line", x: x(1), y: y(5), width: x(5) - x(1), height: y(1) - y(5), fill: "none" }, svg);
  for (let v = 1; v <= 5; v++) {
    el("text", { class: "tick", x: x(v), y: H - B + 18, "text-anchor": "middle" }, svg).textContent = v;
    el("text", { class: "tick", x: L - 10, y: y(v) + 4, "text-anchor": "end" }, svg).textContent = v;
  }
  el("text", { class: "axis-title", x: (x(1) + x(5)) / 2, y: H - 12, "text-anchor": "middle" }, svg)
    .textContent = `${box.dataset.axisX} (high at ${threshold} or above)`;
  el("text", { class: "axis-title", x: 16, y: (y(1) + y(5)) / 2, "text-anchor": "middle",
               transform: `rotate(-90 16 ${(y(1) + y(5)) / 2})` }, svg)
    .textContent = `${box.dataset.axisY} (high at ${threshold} or above)`;

  const maxRev = Math.max(1, ...points.map((p) => p.revenue || 0));
  const circles = points.map((p) => ({
    p, cx: x(p.s), cy: y(p.a), r: 5 + 23 * Math.sqrt(Math.max(0, p.revenue || 0) / maxRev),
  }));
  const tip = document.createElement("div");
  tip.className = "tooltip";
  tip.hidden = true;
  box.appendChild(tip);
  const show = (c, evt) => {
    tip.textContent = "";
    const lines = [c.p.name, `${c.p.label}`, `attractiveness ${fmt(c.p.a)} · strength ${fmt(c.p.s)}`,
                   `revenue ${money(c.p.revenue)}`];
    lines.forEach((t, i) => { const d = document.createElement(i ? "div" : "strong"); d.textContent = t; tip.appendChild(d); });
    const r = box.getBoundingClientRect();
    tip.style.left = `${evt.clientX - r.left + 14}px`;
    tip.style.top = `${evt.clientY - r.top + 14}px`;
    tip.hidden = false;
  };
  const hide = () => { tip.hidden = true; };

  const layer = el("g", {}, svg);
  const leaders = el("g", {}, svg);
  const labels = el("g", {}, svg);
  for (const c of [...circles].sort((a, b) => b.r - a.r)) { // big bubbles under small ones
    const link = el("a", { href: c.p.url, "data-id": c.p.id }, layer);
    c.node = el("circle", { class: `bubble q-${c.p.q}`, cx: c.cx, cy: c.cy, r: c.r, "data-id": c.p.id }, link);
    el("title", {}, c.node).textContent = `${c.p.name}: attractiveness ${fmt(c.p.a)}, strength ${fmt(c.p.s)}`;
    c.node.addEventListener("mousemove", (e) => show(c, e));
    c.node.addEventListener("mouseleave", hide);
  }

  // Labels, biggest accounts first: the first spot around the bubble that overlaps no label and no bubble and
  // stays inside the plot. The biggest accounts, when crowded out, may then cover other bubbles (never a label
  // and never their own bubble). A label moved away from its bubble gets a leader line; none fits, none drawn.
  const bubbleBoxes = circles.map(circleBox);
  const taken = quadLabels.map((t) => {
    const b = t.getBBox();
    return { x: b.x, y: b.y, w: b.width, h: b.height };
  });
  const bounds = { x: x(1), y: y(5), w: x(5) - x(1), h: y(1) - y(5) };
  const BIGGEST = 12;
  let hidden = 0;
  const byRevenue = [...circles].sort((a, b) => (b.p.revenue || 0) - (a.p.revenue || 0));
  byRevenue.forEach((c, rank) => {
    const link = el("a", { href: c.p.url, "data-id": c.p.id }, labels);
    const text = el("text", { class: "label", x: 0, y: 0 }, link);
    text.textContent = c.p.name;
    const size = text.getBBox();
    const w = size.width + 2, h = size.height;
    const own = circleBox(c);
    const passes = rank < BIGGEST ? [[3, 12, 24, 40], [3, 12, 24, 40, 60, 80]] : [[3, 12, 24, 40]];
    let placed = null;
    passes.forEach((gaps, pass) => {
      for (const gap of gaps) {
        if (placed) return;
        const d = c.r + gap;
        const spots = [[d, -h / 2], [-d - w, -h / 2], [-w / 2, -d - h], [-w / 2, d], [d * 0.7, -d * 0.7 - h],
                       [-d * 0.7 - w, -d * 0.7 - h], [d * 0.7, d * 0.7], [-d * 0.7 - w, d * 0.7]];
        for (const [dx, dy] of spots) {
          const b = { x: c.cx + dx, y: c.cy + dy, w, h };
          const inside = b.x >= bounds.x && b.y >= bounds.y && b.x + w <= bounds.x + bounds.w && b.y + h <= bounds.y + bounds.h;
          const blocked = taken.some((t) => overlaps(b, t)) || overlaps(b, own)
            || (pass === 0 && bubbleBoxes.some((t) => overlaps(b, t)));
          if (inside && !blocked) {
            placed = { b, gap };
            return;
          }
        }
      }
    });
    if (!placed) { link.remove(); hidden++; return; }
    taken.push(placed.b);
    // the text's box sits (size.x, size.y) from its anchor point: move the anchor so the box lands on the spot
    text.setAttribute("x", placed.b.x + 1 - size.x);
    text.setAttribute("y", placed.b.y - size.y);
    if (placed.gap > 12) {
      const ex = Math.min(Math.max(c.cx, placed.b.x), placed.b.x + w), ey = Math.min(Math.max(c.cy, placed.b.y), placed.b.y + h);
      const len = Math.hypot(ex - c.cx, ey - c.cy) || 1;
      el("line", { class: "leader", x1: c.cx + ((ex - c.cx) / len) * c.r, y1: c.cy + ((ey - c.cy) / len) * c.r,
                   x2: ex, y2: ey }, leaders);
    }
    text.addEventListener("mousemove", (e) => { c.node.classList.add("hot"); show(c, e); });
    text.addEventListener("mouseleave", () => { c.node.classList.remove("hot"); hide(); });
  });
  box.dataset.points = String(circles.length);
  box.dataset.labelled = String(circles.length - hidden);
  if (hidden) {
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent = `${hidden} smaller account(s) unlabelled to keep the names readable: hover a bubble, or see the table.`;
    box.appendChild(note);
  }
}

// ------------------------------------------------------------------------------------------ health trend

function trendChart(box, points) {
  const W = 640, H = 220, L = 36, R = 32, T = 12, B = 36;
  const x = (i) => L + (i / Math.max(1, points.length - 1)) * (W - L - R);
  const y = (v) => H - B - ((v - 1) / 4) * (H - T - B);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Health over 12 months" }, box);
  for (let v = 1; v <= 5; v++) {
    el("line", { class: "axis-line", x1: L, x2: W - R, y1: y(v), y2: y(v) }, svg);
    el("text", { class: "tick", x: L - 8, y: y(v) + 4, "text-anchor": "end" }, svg).textContent = v;
  }
  let path = "", drawing = false; // a month with no score breaks the line
  points.forEach((p, i) => {
    if (i % 2 === 0 || i === points.length - 1) {
      el("text", { class: "tick", x: x(i), y: H - B + 18, "text-anchor": "middle" }, svg).textContent = p.date.slice(0, 7);
    }
    if (p.overall === null) { drawing = false; return; }
    path += `${drawing ? "L" : "M"}${x(i)},${y(p.overall)} `;
    drawing = true;
  });
  el("path", { class: "trend-line", d: path.trim() }, svg);
  points.forEach((p, i) => {
    if (p.overall === null) return;
    const dot = el("circle", { class: "trend-dot", cx: x(i), cy: y(p.overall), r: 4, "data-date": p.date }, svg);
    el("title", {}, dot).textContent = `${p.date}: health ${fmt(p.overall)}`;
  });
  box.dataset.points = String(points.filter((p) => p.overall !== null).length);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach(sortable);
  const matrix = document.getElementById("matrix-chart");
  if (matrix) matrixChart(matrix, readJson("matrix-data") || []);
  const trend = document.getElementById("trend-chart");
  if (trend) trendChart(trend, readJson("trend-data") || []);
});
