// A bar chart as inline SVG, drawn here rather than by a library from elsewhere: two
// series side by side per period, a scale, and a title on each bar for exact figures.
const SVG = "http://www.w3.org/2000/svg";

function node(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

// `points`: [{ label, values: [a, b] }]; `series`: [{ name, className }].
export function barChart(points, series, { width = 720, height = 220 } = {}) {
  const margin = { top: 10, right: 10, bottom: 28, left: 36 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(1, Math.ceil(Math.max(...points.flatMap((p) => p.values), 0)));
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, class: "bar-chart", preserveAspectRatio: "none" });
  // Whole-number ticks only: a scale of 0, 1, 1 says nothing.
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  for (const tick of ticks) {
    const y = margin.top + plotHeight * (1 - tick / max);
    svg.append(node("line", { x1: margin.left, x2: width - margin.right, y1: y, y2: y, class: "grid" }));
    svg.append(node("text", { x: margin.left - 4, y: y + 4, "text-anchor": "end", class: "axis" }, String(tick)));
  }
  const slot = plotWidth / Math.max(1, points.length);
  const bar = Math.max(1, (slot * 0.8) / series.length);
  const labelEvery = Math.ceil(points.length / 12);
  points.forEach((point, index) => {
    point.values.forEach((value, which) => {
      const h = (value / max) * plotHeight;
      const rect = node("rect", { x: margin.left + index * slot + slot * 0.1 + which * bar, y: margin.top + plotHeight - h, width: bar, height: h,
        class: series[which].className, "data-value": value });
      rect.append(node("title", {}, `${point.label} · ${series[which].name}: ${value}`));
      svg.append(rect);
    });
    if (index % labelEvery === 0) {
      svg.append(node("text", { x: margin.left + index * slot + slot / 2, y: height - 8, "text-anchor": "middle", class: "axis" }, point.label));
    }
  });
  return svg;
}
