// Money over a fiscal year: an orderer's appropriation and portfolio (its contracts' value in
// the year, the in-house share), the year's grants, and the administration setting
// appropriations and recording grants.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t, moneyNode, moneyRounded, number, date, readNumber } from "../i18n.js";
import { field, formError, check, valueOf } from "../forms.js";
import { table, signedIn, needLogin, run, dec, isAdmin, isOrderer } from "./kit.js";
import { confirmDialog } from "./public.js";

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

const GRANTS = "grants(fiscalYear: $y) { id orderer { id name } recipient { id name } fiscalYear amount }";

const grantTable = (list, year) => (list.length ? table({
  caption: t("budget.grants", { year }),
  columns: [[t("budget.grantor")], [t("budget.recipient")], [t("budget.grantAmountShown"), { num: true }]],
  rows: list.map((g) => [g.orderer.name, g.recipient.name, moneyNode(g.amount)]),
}) : h("p", {}, t("budget.noGrants", { year })));

// A sentence shown once on the next rendering, after a grant was recorded.
let notice = null;

/** A grant's amount: greater than zero (its format and cents are the field's own checks). */
function positive(raw) {
  const v = readNumber(raw);
  return v !== null && (v.startsWith("-") || /^[0.]*$/.test(v)) ? { rule: "NOT_POSITIVE", params: {} } : null;
}

/**
 * The administration records a grant (avustus) from an orderer to a producer, after a
 * confirmation; the amount is typed in the user's own format ("12 345,67" in Finnish).
 */
function grantForm(d, year, go, render) {
  const grantor = field({ name: "ordererId", label: t("budget.grantor"), type: "select", required: true,
    options: [["", t("work.choose")], ...d.organizations.map((o) => [o.id, o.name])] });
  const recipient = field({ name: "recipientId", label: t("budget.recipient"), type: "select", required: true,
    options: [["", t("work.choose")], ...d.producers.map((o) => [o.id, `${o.name} (${t(`kind.${o.kind}`)})`])] });
  const fy = field({ name: "fiscalYear", label: t("budget.grantYear"), type: "number", value: String(year), required: true,
    attrs: { min: "2000", max: "2100" }, as: "int", min: "2000", max: "2100" });
  const amount = field({ name: "amount", label: t("budget.grantAmount"), hint: t("budget.grantAmountHint"), required: true,
    attrs: { inputmode: "decimal" }, as: "money", min: "0", validate: positive });
  const fields = [grantor, recipient, fy, amount];
  const area = formError();
  return h("form", { class: "stack", novalidate: true, "aria-labelledby": "record-grant", onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    const chosen = (f) => f.input.selectedOptions[0]?.textContent ?? "";
    const plain = valueOf(amount);
    const sure = await confirmDialog({ title: t("budget.confirmGrant"), intro: t("budget.confirmGrantIntro"), confirm: t("budget.record"),
      summary: [[t("budget.grantor"), chosen(grantor)], [t("budget.recipient"), chosen(recipient)], [t("budget.grantYear"), fy.input.value.trim()],
        [t("budget.grantAmountShown"), moneyRounded(plain)]] });
    if (!sure) return;
    const r = await run(area, fields, "mutation($o: ID!, $r: ID!, $y: Int!, $a: Decimal!) { recordGrant(ordererId: $o, recipientId: $r, fiscalYear: $y, amount: $a) { id fiscalYear amount recipient { name } } }",
      { o: grantor.input.value, r: recipient.input.value, y: Number.parseInt(fy.input.value, 10), a: plain });
    if (!r) return;
    const g = r.recordGrant;
    notice = t("budget.grantRecorded", { recipient: g.recipient.name, amount: moneyRounded(g.amount) });
    if (g.fiscalYear === year) await render();
    else go(`/budget?year=${g.fiscalYear}`);
  } }, h("h2", { id: "record-grant" }, t("budget.recordGrant")), h("p", { class: "hint" }, t("budget.grantHint")),
  ...fields.map((f) => f.wrap), area, h("div", {}, h("button", { class: "primary", type: "submit" }, t("budget.record"))));
}

/** #/budget?year=YYYY */
export async function budget({ params, go, render }) {
  const s = signedIn((x) => isOrderer(x) || isAdmin(x));
  if (!s) return needLogin(t("nav.budget"), "/budget");
  const year = Number.parseInt(params.get("year") || "", 10) || new Date().getFullYear();
  const APPROPRIATION = "appropriations(fiscalYear: $y) { orderer { id name } fiscalYear amount committed available }";
  if (isAdmin(s)) {
    const d = await gql(`query($y: Int!) { ${APPROPRIATION} ${GRANTS} organizations(kind: ORDERER) { id name }
      inHouse: organizations(kind: IN_HOUSE_PRODUCER) { id name kind } external: organizations(kind: EXTERNAL_PROVIDER) { id name kind } }`, { y: year });
    d.producers = [...d.inHouse, ...d.external].sort((a, b) => a.name.localeCompare(b.name));
    const said = notice ? h("p", { class: "ok", role: "status", "data-notice": "" }, notice) : null;
    notice = null;
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
    return h("section", {}, h("h1", {}, t("nav.budget")), said, yearForm(year, go),
      d.appropriations.length ? appropriationTable(d.appropriations) : h("p", {}, t("budget.none", { year })), form,
      h("h2", {}, t("budget.grantsTitle")), grantTable(d.grants, year), grantForm(d, year, go, render));
  }
  const d = await gql(`query($y: Int!, $o: ID!) { ${APPROPRIATION} ${GRANTS}
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
    }) : h("p", {}, t("orderer.noContracts")),
    h("h2", {}, t("budget.grantsTitle")), grantTable(d.grants, year));
}
