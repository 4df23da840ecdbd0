// The in-house producer: its cost calculations, and the benchmark per product and year: its
// own unit cost and bid prices against the market's min / median / max, drawn as a chart.
import { gql, session } from "../api.js";
import { h, svg } from "../dom.js";
import { t, moneyNode, moneyRounded, money, number, numberRounded, percent } from "../i18n.js";
import { field, formError, showErrors, check, valueOf } from "../forms.js";

function inHouse() {
  const s = session();
  return s?.user.organization?.kind === "IN_HOUSE_PRODUCER" ? s : null;
}

/**
 * A number line over the figures' range (not from 0, so the markers spread out): the market's
 * range as a band, its median, the own unit cost and the own bid prices as markers. Amounts
 * are rounded to cents on the chart; the table beside it has the exact figures. Every label is
 * anchored so that it stays inside the viewBox.
 */
function benchmarkChart(b) {
  const W = 640, H = 190, L = 16, R = 16;
  const figures = [b.marketMin, b.marketMedian, b.marketMax, b.inHouseUnitCost, ...b.inHouseBidPrices].filter((x) => x != null).map(Number);
  if (!figures.length) return { chart: null, note: null };
  let lo = Math.min(...figures), hi = Math.max(...figures);
  const pad = hi > lo ? (hi - lo) * 0.15 : Math.max(Math.abs(hi) * 0.1, 1);
  lo = Math.max(0, lo - pad);
  hi += pad;
  const x = (v) => L + ((Number(v) - lo) / (hi - lo)) * (W - L - R);
  // A label near an edge grows inwards; one in the middle is centred on its marker.
  const anchor = (px) => (px < W * 0.2 ? "start" : px > W * 0.8 ? "end" : "middle");
  const label = (px, y, text, attrs = {}) => svg("text", { x: Math.min(Math.max(px, L), W - R), y, "text-anchor": anchor(px), ...attrs }, text);
  const parts = [svg("title", { id: "bench-title" }, t("bench.chartTitle", { product: b.product.name, year: b.fiscalYear })),
    svg("line", { x1: L, y1: 100, x2: W - R, y2: 100, stroke: "#4a5360" }),
    label(L, 185, moneyRounded(lo.toFixed(2)), { class: "axis" }), label(W - R, 185, moneyRounded(hi.toFixed(2)), { class: "axis" })];
  if (b.marketMin != null && b.marketMax != null) {
    parts.push(svg("rect", { x: x(b.marketMin), y: 88, width: Math.max(2, x(b.marketMax) - x(b.marketMin)), height: 24, fill: "#c9d1da" }),
      label(x(b.marketMin), 130, `min ${moneyRounded(b.marketMin)}`),
      label(x(b.marketMax), 150, `max ${moneyRounded(b.marketMax)}`));
  }
  if (b.marketMedian != null) {
    parts.push(svg("line", { x1: x(b.marketMedian), y1: 80, x2: x(b.marketMedian), y2: 120, stroke: "#1b1f24", "stroke-width": 3 }),
      label(x(b.marketMedian), 74, `${t("bench.median")} ${moneyRounded(b.marketMedian)}`));
  }
  if (b.inHouseUnitCost != null) {
    parts.push(svg("circle", { cx: x(b.inHouseUnitCost), cy: 100, r: 7, fill: "#0b4f8a" }),
      label(x(b.inHouseUnitCost), 54, `${t("bench.ownCost")} ${moneyRounded(b.inHouseUnitCost)}`));
  }
  b.inHouseBidPrices.forEach((p, i) => parts.push(svg("rect", { x: x(p) - 5, y: 95, width: 10, height: 10, fill: "#7a4d00" }),
    label(x(p), 18 + 16 * (i % 2), `${t("bench.ownBid")} ${moneyRounded(p)}`, { fill: "#7a4d00" })));
  return { chart: svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "bench-title" }, ...parts),
    note: t("bench.axisNote", { min: moneyRounded(lo.toFixed(2)), max: moneyRounded(hi.toFixed(2)) }) };
}

/** The years worth showing first: the latest with market bids among the own calculations'
 *  years and the years around now; else the latest own calculation. */
async function defaultYear(productId, costs) {
  const now = new Date().getFullYear();
  const own = costs.filter((c) => c.product.id === productId).map((c) => c.fiscalYear);
  const years = [...new Set([...own, now - 1, now, now + 1, now + 2])].filter((y) => y >= 2000 && y <= 2100).sort((a, b) => b - a);
  const q = `query($p: ID!) { ${years.map((y) => `y${y}: benchmark(productId: $p, fiscalYear: ${y}) { marketCount }`).join(" ")} }`;
  const d = await gql(q, { p: productId });
  const withMarket = years.find((y) => d[`y${y}`]?.marketCount > 0);
  if (withMarket) return { year: withMarket, why: t("bench.yearPicked", { year: withMarket }) };
  const latestOwn = own.length ? Math.max(...own) : now + 1;
  return { year: latestOwn, why: t("bench.noMarketAnyYear", { year: latestOwn }) };
}

export async function benchmark({ params, go, render }) {
  const s = inHouse();
  if (!s) return h("section", {}, h("h1", {}, t("nav.benchmark")), h("p", {}, h("a", { href: "#/login?next=/benchmark" }, t("bench.needLogin"))));
  const d = await gql(`query($p: ID) { products { id code name unit category } costCalculations(producerId: $p) { id fiscalYear volume directCosts overheadRate unitCost product { id code name unit } } }`,
    { p: s.user.organization.id });
  const productId = params.get("product") || d.costCalculations[0]?.product.id || d.products[0]?.id;
  // A year asked for is shown; otherwise the latest year with market bids, and why.
  const picked = Number(params.get("year")) ? { year: Number(params.get("year")), why: null }
    : productId ? await defaultYear(productId, d.costCalculations) : { year: new Date().getFullYear() + 1, why: null };
  const year = picked.year;
  const parts = [h("h1", {}, t("nav.benchmark"))];
  const pick = field({ name: "product", label: t("bench.product"), type: "select", value: productId, options: d.products.map((p) => [p.id, `${p.code} ${p.name}`]) });
  const yearField = field({ name: "fiscalYear", label: t("bench.year"), type: "number", value: String(year), attrs: { min: "2000", max: "2100" } });
  parts.push(h("form", { class: "row", onsubmit: (e) => {
    e.preventDefault();
    go(`/benchmark?product=${encodeURIComponent(pick.input.value)}&year=${encodeURIComponent(yearField.input.value)}`);
  } }, pick.wrap, yearField.wrap, h("button", { class: "primary", type: "submit" }, t("bench.show"))));
  if (productId) {
    const { benchmark: b } = await gql(`query($p: ID!, $y: Int!) { benchmark(productId: $p, fiscalYear: $y) {
      product { name unit } fiscalYear inHouseUnitCost inHouseBidPrices marketCount marketMin marketMedian marketMax inHouseIndex } }`, { p: productId, y: year });
    const drawn = benchmarkChart(b);
    const exact = (v) => (v == null ? "–" : money(v));
    parts.push(h("h2", {}, t("bench.chartTitle", { product: b.product.name, year: b.fiscalYear })),
      picked.why ? h("p", { class: "hint" }, picked.why) : null,
      // No market bids that year: said plainly, before an empty chart.
      b.marketCount === 0 ? h("p", {}, t("bench.noMarketYear", { year: b.fiscalYear })) : null,
      drawn.chart,
      drawn.note ? h("p", { class: "hint" }, drawn.note) : null,
      h("table", {}, h("caption", { class: "visually-hidden" }, t("bench.figures")), h("tbody", {},
        [["bench.ownCost", moneyNode(b.inHouseUnitCost)], ["bench.ownBids", b.inHouseBidPrices.length ? b.inHouseBidPrices.flatMap((p, i) => (i ? [", ", moneyNode(p)] : [moneyNode(p)])) : "–"],
          ["bench.marketCount", String(b.marketCount)], ["bench.min", moneyNode(b.marketMin)], ["bench.median", moneyNode(b.marketMedian)],
          ["bench.max", moneyNode(b.marketMax)], ["bench.index", numberRounded(b.inHouseIndex, 1)]]
          .map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, t(k)), h("td", { class: "num" }, v))))),
      h("p", { class: "hint", id: "bench-index-explain" }, t("bench.indexExplain")),
      h("details", {}, h("summary", {}, t("bench.exactFigures")), h("ul", {},
        [["bench.ownCost", exact(b.inHouseUnitCost)], ["bench.median", exact(b.marketMedian)], ["bench.index", b.inHouseIndex == null ? "–" : number(b.inHouseIndex)]]
          .map(([k, v]) => h("li", {}, `${t(k)}: ${v}`)))),
      // Fewer than three distinct bidders: the figures would show one bidder's prices.
      b.marketCount > 0 && b.marketMin == null ? h("p", {}, t("bench.tooFewBidders")) : null);
  }
  // Cost calculations: the list and a form to save one (a new year or product, or a correction).
  parts.push(h("h2", {}, t("bench.costs")),
    d.costCalculations.length ? h("table", {}, h("thead", {}, h("tr", {}, ...["bench.product", "bench.year", "bench.volume", "bench.directCosts", "bench.overheadRate", "bench.unitCost"]
      .map((k) => h("th", { scope: "col", class: k === "bench.product" ? null : "num" }, t(k))))),
    h("tbody", {}, d.costCalculations.map((c) => h("tr", {}, h("td", {}, `${c.product.code} ${c.product.name}`), h("td", { class: "num" }, String(c.fiscalYear)),
      h("td", { class: "num" }, number(c.volume)), h("td", { class: "num" }, moneyNode(c.directCosts)), h("td", { class: "num" }, percent(c.overheadRate)),
      h("td", { class: "num" }, moneyNode(c.unitCost))))))
      : h("p", {}, t("bench.noCosts")));
  const cp = field({ name: "productId", label: t("bench.product"), type: "select", value: productId, options: d.products.map((p) => [p.id, `${p.code} ${p.name}`]) });
  const cy = field({ name: "fiscalYear", label: t("bench.year"), value: String(year), required: true, as: "int", min: "2000", max: "2100", attrs: { inputmode: "numeric" } });
  const cv = field({ name: "volume", label: t("bench.volume"), required: true, as: "decimal", min: "0", attrs: { inputmode: "decimal" } });
  const cd = field({ name: "directCosts", label: t("bench.directCosts"), required: true, as: "money", min: "0", attrs: { inputmode: "decimal" } });
  const co = field({ name: "overheadRate", label: t("bench.overheadRatePercent"), hint: t("bid.percentHint"), required: true, as: "percent", min: "0", max: "10", attrs: { inputmode: "decimal" } });
  const fields = [cp, cy, cv, cd, co];
  const area = formError();
  parts.push(h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    try {
      await gql("mutation($i: CostCalculationInput!) { saveCostCalculation(input: $i) { id } }", { i: {
        productId: cp.input.value, fiscalYear: Number(valueOf(cy)), volume: valueOf(cv), directCosts: valueOf(cd), overheadRate: valueOf(co) } });
      await render();
    } catch (err) {
      showErrors(err, fields, area);
    }
  } }, h("h3", {}, t("bench.saveTitle")), ...fields.map((f) => f.wrap), area, h("button", { class: "primary", type: "submit" }, t("bench.save"))));
  return h("section", {}, parts);
}
