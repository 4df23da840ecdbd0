// The in-house producer: its cost calculations, and the benchmark per product and year: its
// own unit cost and bid prices against the market's min / median / max, drawn as a chart.
import { gql, session } from "../api.js";
import { h, svg } from "../dom.js";
import { t, money, number } from "../i18n.js";
import { field, formError, showErrors, clearErrors } from "../forms.js";
import { fromInput } from "../decimal.js";

function inHouse() {
  const s = session();
  return s?.user.organization?.kind === "IN_HOUSE_PRODUCER" ? s : null;
}

/** A number line from 0 to the largest figure: the market's range as a band, its median,
 *  the own unit cost and the own bid prices as markers. Labels carry the exact amounts. */
function benchmarkChart(b) {
  const W = 640, H = 170, L = 20, R = 20;
  const figures = [b.marketMin, b.marketMedian, b.marketMax, b.inHouseUnitCost, ...b.inHouseBidPrices].filter((x) => x != null);
  const max = Math.max(...figures.map(Number)) * 1.1 || 1;
  const x = (v) => L + (Number(v) / max) * (W - L - R);
  const parts = [svg("title", { id: "bench-title" }, t("bench.chartTitle", { product: b.product.name, year: b.fiscalYear })),
    svg("line", { x1: L, y1: 100, x2: W - R, y2: 100, stroke: "#4a5360" })];
  if (b.marketMin != null && b.marketMax != null) {
    parts.push(svg("rect", { x: x(b.marketMin), y: 88, width: Math.max(2, x(b.marketMax) - x(b.marketMin)), height: 24, fill: "#c9d1da" }),
      svg("text", { x: x(b.marketMin), y: 130 }, `min ${money(b.marketMin)}`),
      svg("text", { x: x(b.marketMax), y: 150, "text-anchor": "end" }, `max ${money(b.marketMax)}`));
  }
  if (b.marketMedian != null) {
    parts.push(svg("line", { x1: x(b.marketMedian), y1: 80, x2: x(b.marketMedian), y2: 120, stroke: "#1b1f24", "stroke-width": 3 }),
      svg("text", { x: x(b.marketMedian), y: 74, "text-anchor": "middle" }, `${t("bench.median")} ${money(b.marketMedian)}`));
  }
  if (b.inHouseUnitCost != null) {
    parts.push(svg("circle", { cx: x(b.inHouseUnitCost), cy: 100, r: 7, fill: "#0b4f8a" }),
      svg("text", { x: x(b.inHouseUnitCost), y: 40, "text-anchor": "middle" }, `${t("bench.ownCost")} ${money(b.inHouseUnitCost)}`));
  }
  b.inHouseBidPrices.forEach((p, i) => parts.push(svg("rect", { x: x(p) - 5, y: 95, width: 10, height: 10, fill: "#7a4d00" }),
    svg("text", { x: x(p), y: 20 + 14 * i, "text-anchor": "middle", fill: "#7a4d00" }, `${t("bench.ownBid")} ${money(p)}`)));
  return svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "bench-title" }, ...parts);
}

export async function benchmark({ params, go, render }) {
  const s = inHouse();
  if (!s) return h("section", {}, h("h1", {}, t("nav.benchmark")), h("p", {}, h("a", { href: "#/login?next=/benchmark" }, t("bench.needLogin"))));
  const year = Number(params.get("year")) || new Date().getFullYear() + 1;
  const d = await gql(`query($p: ID) { products { id code name unit category } costCalculations(producerId: $p) { id fiscalYear volume directCosts overheadRate unitCost product { id code name unit } } }`,
    { p: s.user.organization.id });
  const productId = params.get("product") || d.costCalculations[0]?.product.id || d.products[0]?.id;
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
    parts.push(h("h2", {}, t("bench.chartTitle", { product: b.product.name, year: b.fiscalYear })),
      benchmarkChart(b),
      h("table", {}, h("caption", { class: "visually-hidden" }, t("bench.figures")), h("tbody", {},
        [["bench.ownCost", money(b.inHouseUnitCost)], ["bench.ownBids", b.inHouseBidPrices.map(money).join(", ") || "–"],
          ["bench.marketCount", String(b.marketCount)], ["bench.min", money(b.marketMin)], ["bench.median", money(b.marketMedian)],
          ["bench.max", money(b.marketMax)], ["bench.index", number(b.inHouseIndex)]]
          .map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, t(k)), h("td", { class: "num" }, v))))),
      // Fewer than three distinct bidders: the figures would show one bidder's prices.
      b.marketCount > 0 && b.marketMin == null ? h("p", {}, t("bench.tooFewBidders")) : null,
      b.marketCount === 0 ? h("p", {}, t("bench.noMarket")) : null);
  }
  // Cost calculations: the list and a form to save one (a new year or product, or a correction).
  parts.push(h("h2", {}, t("bench.costs")),
    d.costCalculations.length ? h("table", {}, h("thead", {}, h("tr", {}, ...["bench.product", "bench.year", "bench.volume", "bench.directCosts", "bench.overheadRate", "bench.unitCost"]
      .map((k) => h("th", { scope: "col", class: k === "bench.product" ? null : "num" }, t(k))))),
    h("tbody", {}, d.costCalculations.map((c) => h("tr", {}, h("td", {}, `${c.product.code} ${c.product.name}`), h("td", { class: "num" }, String(c.fiscalYear)),
      h("td", { class: "num" }, number(c.volume)), h("td", { class: "num" }, money(c.directCosts)), h("td", { class: "num" }, number(c.overheadRate)),
      h("td", { class: "num" }, money(c.unitCost))))))
      : h("p", {}, t("bench.noCosts")));
  const cp = field({ name: "productId", label: t("bench.product"), type: "select", value: productId, options: d.products.map((p) => [p.id, `${p.code} ${p.name}`]) });
  const cy = field({ name: "fiscalYear", label: t("bench.year"), type: "number", value: String(year), required: true });
  const cv = field({ name: "volume", label: t("bench.volume"), required: true, attrs: { inputmode: "decimal" } });
  const cd = field({ name: "directCosts", label: t("bench.directCosts"), required: true, attrs: { inputmode: "decimal" } });
  const co = field({ name: "overheadRate", label: t("bench.overheadRate"), hint: t("bid.ratioHint"), required: true, attrs: { inputmode: "decimal" } });
  const fields = [cp, cy, cv, cd, co];
  const area = formError();
  const dec = (f) => fromInput(f.input.value) ?? f.input.value.trim();
  parts.push(h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(fields, area);
    try {
      await gql("mutation($i: CostCalculationInput!) { saveCostCalculation(input: $i) { id } }", { i: {
        productId: cp.input.value, fiscalYear: Number(cy.input.value), volume: dec(cv), directCosts: dec(cd), overheadRate: dec(co) } });
      await render();
    } catch (err) {
      showErrors(err, fields, area);
    }
  } }, h("h3", {}, t("bench.saveTitle")), ...fields.map((f) => f.wrap), area, h("button", { class: "primary", type: "submit" }, t("bench.save"))));
  return h("section", {}, parts);
}
