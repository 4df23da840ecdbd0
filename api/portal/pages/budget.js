// Money over a fiscal year: an orderer's appropriation and portfolio (its contracts' value in
// the year, the in-house share), and the administration setting appropriations.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t, moneyNode, number, date } from "../i18n.js";
import { field, formError } from "../forms.js";
import { table, signedIn, needLogin, run, dec, isAdmin, isOrderer } from "./kit.js";

function yearForm(year, go) {
  const y = field({ name: "fiscalYear", label: t("budget.year"), type: "number", value: String(year), attrs: { min: "2000", max: "2100" } });
  return h("form", { class: "row", onsubmit: (e) => { e.preventDefault(); go(`/budget?year=${encodeURIComponent(y.input.value)}`); } },
    y.wrap, h("button", { class: "secondary", type: "submit" }, t("budget.show")));
}

const appropriationTable = (list) => table({
  caption: t("budget.appropriations"),
  columns: [[t("work.orderer")], [t("budget.amount"), { num: true }], [t("budget.committed"), { num: true }], [t("budget.available"), { num: true }]],
  rows: list.map((a) => [a.orderer.name, moneyNode(a.amount), moneyNode(a.committed), moneyNode(a.available)]),
});

/** #/budget?year=YYYY */
export async function budget({ params, go, render }) {
  const s = signedIn((x) => isOrderer(x) || isAdmin(x));
  if (!s) return needLogin(t("nav.budget"), "/budget");
  const year = Number.parseInt(params.get("year") || "", 10) || new Date().getFullYear();
  const APPROPRIATION = "appropriations(fiscalYear: $y) { orderer { id name } fiscalYear amount committed available }";
  if (isAdmin(s)) {
    const d = await gql(`query($y: Int!) { ${APPROPRIATION} organizations(kind: ORDERER) { id name } }`, { y: year });
    const orderer = field({ name: "ordererId", label: t("work.orderer"), type: "select", required: true,
      options: [["", t("work.choose")], ...d.organizations.map((o) => [o.id, o.name])] });
    const fy = field({ name: "fiscalYear", label: t("budget.year"), type: "number", value: String(year), required: true });
    const amount = field({ name: "amount", label: t("budget.amount"), required: true, attrs: { inputmode: "decimal" } });
    const area = formError();
    const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const r = await run(area, [orderer, fy, amount], "mutation($o: ID!, $y: Int!, $a: Decimal!) { setAppropriation(ordererId: $o, fiscalYear: $y, amount: $a) { amount } }",
        { o: orderer.input.value, y: Number.parseInt(fy.input.value, 10) || 0, a: dec(amount) ?? "" });
      if (r) await render();
    } }, h("h2", {}, t("budget.set")), orderer.wrap, fy.wrap, amount.wrap, area,
    h("div", {}, h("button", { class: "primary", type: "submit" }, t("budget.save"))));
    return h("section", {}, h("h1", {}, t("nav.budget")), yearForm(year, go),
      d.appropriations.length ? appropriationTable(d.appropriations) : h("p", {}, t("budget.none", { year })), form);
  }
  const d = await gql(`query($y: Int!, $o: ID!) { ${APPROPRIATION}
    portfolio(ordererId: $o, fiscalYear: $y) { totalValue inHouseValue externalValue inHouseShare
      contracts { id procedure status producer { name } startDate endDate totalValue } } }`, { y: year, o: s.user.organization.id });
  const p = d.portfolio;
  return h("section", {}, h("h1", {}, t("nav.budget")), yearForm(year, go),
    d.appropriations.length ? appropriationTable(d.appropriations) : h("p", {}, t("budget.none", { year })),
    h("h2", {}, t("budget.portfolio", { year })),
    h("dl", { class: "figures" },
      h("dt", {}, t("budget.total")), h("dd", {}, moneyNode(p.totalValue)),
      h("dt", {}, t("budget.inHouse")), h("dd", {}, moneyNode(p.inHouseValue)),
      h("dt", {}, t("budget.external")), h("dd", {}, moneyNode(p.externalValue)),
      h("dt", {}, t("budget.inHouseShare")), h("dd", { "data-share": p.inHouseShare }, `${number(p.inHouseShare)} %`)),
    p.contracts.length ? table({
      caption: t("budget.contracts"),
      columns: [[t("contract.producer")], [t("budget.procedure")], [t("contract.status")], [t("contract.period")], [t("contract.totalValue"), { num: true }]],
      rows: p.contracts.map((c) => [h("a", { href: `#/contracts/${c.id}` }, c.producer.name), t(`budget.procedure.${c.procedure}`),
        t(`contractStatus.${c.status}`), `${date(c.startDate)} – ${date(c.endDate)}`, moneyNode(c.totalValue)]),
    }) : h("p", {}, t("orderer.noContracts")));
}
