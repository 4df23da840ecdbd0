// Contract work outside the call: the orderer amends a contract (a new line set and a reason,
// the change in value shown) or terminates it, and makes a direct contract with an in-house
// producer; a producer (external or in-house) sees its contracts and reports a month.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t, tNodes, money, moneyNode, moneyDeltaNode, number, date, month } from "../i18n.js";
import { field, formError } from "../forms.js";
import { table, signedIn, needLogin, run, dec, isOrderer, isProducer } from "./kit.js";

const LINES = "lines { product { id code name unit } quantity unitPrice lineTotal }";

/** Rows of product / quantity / price (or cost) fields that grow with "add a line". */
function lineEditor({ products, initial = [], second, legend, fixedProducts = false }) {
  const rows = [];
  const list = h("div", { class: "stack" });
  const add = (line = {}) => {
    const i = rows.length;
    const n = i + 1;
    const product = fixedProducts
      ? null
      : field({ name: `lines[${i}].productId`, label: t("work.lineProduct", { n }), type: "select", value: line.productId ?? "",
        options: [["", t("work.choose")], ...products.map((p) => [p.id, `${p.code} ${p.name}`])] });
    const title = fixedProducts ? h("h3", {}, `${line.code} ${line.name}`) : null;
    const quantity = field({ name: `lines[${i}].quantity`, label: fixedProducts ? t("work.quantityOf", { product: line.code }) : t("work.lineQuantity", { n }),
      value: line.quantity ?? "", attrs: { inputmode: "decimal" } });
    const other = field({ name: `lines[${i}].${second}`,
      label: fixedProducts ? t(`work.${second}Of`, { product: line.code }) : t(`work.line${second === "cost" ? "Cost" : "UnitPrice"}`, { n }),
      value: line[second] ?? "", attrs: { inputmode: "decimal" } });
    rows.push({ product, quantity, other, productId: line.productId });
    list.append(h("div", { class: "row line" }, title, product?.wrap, quantity.wrap, other.wrap));
  };
  initial.forEach(add);
  if (!initial.length) add();
  const addButton = fixedProducts ? null : h("button", { type: "button", class: "secondary", onclick: () => { add(); rows.at(-1).product.input.focus(); } }, t("work.addLine"));
  return {
    node: h("fieldset", {}, h("legend", {}, legend), list, addButton),
    fields: () => rows.flatMap((r) => [r.product, r.quantity, r.other].filter(Boolean)),
    value: () => rows
      .filter((r) => r.quantity.input.value.trim() || r.other.input.value.trim() || (r.product && r.product.input.value))
      .map((r) => ({ productId: r.product ? r.product.input.value : r.productId, quantity: dec(r.quantity) ?? "", [second]: dec(r.other) ?? "" })),
  };
}

const linesTable = (lines, caption) => table({
  caption,
  columns: [[t("call.product")], [t("call.quantity"), { num: true }], [t("contract.unitPrice"), { num: true }], [t("contract.lineTotal"), { num: true }]],
  rows: lines.map((l) => [`${l.product.code} ${l.product.name}`, number(l.quantity), money(l.unitPrice), moneyNode(l.lineTotal)]),
});

/** #/contracts/<id>/amend: amend (new lines, reason) or terminate (reason). */
export async function amend({ args, render }) {
  const s = signedIn(isOrderer);
  if (!s) return needLogin(t("work.amendTitle"), `/contracts/${args[0]}/amend`);
  const d = await gql(`query($id: ID!) {
    contract(id: $id) { id status version totalValue startDate endDate producer { name } orderer { id } terminatedOn terminationReason
      ${LINES} amendments { version reason valueDelta createdAt } }
    products { id code name }
  }`, { id: args[0] });
  const k = d.contract;
  if (!k) return h("section", {}, h("h1", {}, t("page.notFound")));
  const open = k.status === "DRAFT" || k.status === "ACTIVE";
  const last = k.amendments.at(-1);
  const parts = [
    h("h1", {}, t("work.amendHeading", { producer: k.producer.name })),
    h("p", {}, t(`contractStatus.${k.status}`), " · ", t("contract.version", { version: k.version }), " · ",
      `${date(k.startDate)} – ${date(k.endDate)}`, " · ", h("a", { href: `#/contracts/${k.id}` }, t("work.contractPage"))),
    linesTable(k.lines, t("work.currentLines")),
    h("p", {}, t("contract.totalValue"), " ", h("strong", {}, moneyNode(k.totalValue))),
  ];
  if (last) {
    parts.push(h("p", { class: "panel", "data-amendment": String(last.version) },
      tNodes("work.lastAmendment", { version: last.version, delta: moneyDeltaNode(last.valueDelta), reason: last.reason })));
  }
  if (k.terminatedOn) parts.push(h("p", { class: "panel" }, t("work.terminated", { date: date(k.terminatedOn), reason: k.terminationReason ?? "" })));
  if (!open) return h("section", {}, ...parts);

  const editor = lineEditor({ products: d.products, legend: t("work.newLines"), second: "unitPrice",
    initial: k.lines.map((l) => ({ productId: l.product.id, quantity: l.quantity, unitPrice: l.unitPrice })) });
  const reason = field({ name: "reason", label: t("work.reason"), type: "textarea", required: true });
  const effectiveFrom = field({ name: "effectiveFrom", label: t("work.effectiveFrom"), type: "date", hint: t("work.effectiveFromHint"),
    attrs: { min: k.startDate, max: k.endDate } });
  const area = formError();
  const amendForm = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const r = await run(area, [...editor.fields(), reason, effectiveFrom], `mutation($id: ID!, $lines: [ContractLineInput!]!, $reason: String!, $from: NaiveDate) {
      amendContract(id: $id, lines: $lines, reason: $reason, effectiveFrom: $from) { id } }`,
    { id: k.id, lines: editor.value(), reason: reason.input.value, from: effectiveFrom.input.value || null });
    if (r) await render();
  } }, h("h2", {}, t("work.amend")), h("p", { class: "hint" }, t("work.amendHint")), editor.node, effectiveFrom.wrap, reason.wrap, area,
  h("div", {}, h("button", { class: "primary", type: "submit" }, t("work.amendSubmit"))));

  const why = field({ name: "reason", label: t("work.terminationReason"), type: "textarea", required: true });
  const area2 = formError();
  const terminateForm = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const r = await run(area2, [why], "mutation($id: ID!, $reason: String!) { terminateContract(id: $id, reason: $reason) { id } }",
      { id: k.id, reason: why.input.value });
    if (r) await render();
  } }, h("h2", {}, t("work.terminate")), h("p", { class: "hint" }, t("work.terminateHint")), why.wrap, area2,
  h("div", {}, h("button", { class: "danger", type: "submit" }, t("work.terminateSubmit"))));
  return h("section", {}, ...parts, amendForm, terminateForm);
}

/** #/contracts/direct: a direct (IN_HOUSE) contract with an in-house producer. */
export async function direct({ go }) {
  const s = signedIn(isOrderer);
  if (!s) return needLogin(t("nav.directContract"), "/contracts/direct");
  const d = await gql("{ organizations(kind: IN_HOUSE_PRODUCER) { id name } products { id code name } }");
  const producer = field({ name: "producerId", label: t("work.producer"), type: "select", required: true,
    options: [["", t("work.choose")], ...d.organizations.map((o) => [o.id, o.name])] });
  const pricing = field({ name: "pricingModel", label: t("work.pricingModel"), type: "select", value: "UNIT_PRICE",
    options: [["UNIT_PRICE", t("work.pricing.UNIT_PRICE")], ["LUMP_SUM", t("work.pricing.LUMP_SUM")]] });
  const start = field({ name: "startDate", label: t("work.startDate"), type: "date", required: true });
  const end = field({ name: "endDate", label: t("work.endDate"), type: "date", required: true });
  const share = field({ name: "maxSubcontractingShare", label: t("work.subcontracting"), hint: t("work.subcontractingHint"), attrs: { inputmode: "decimal" } });
  const editor = lineEditor({ products: d.products, legend: t("contract.lines"), second: "unitPrice" });
  const area = formError();
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const input = { producerId: producer.input.value, pricingModel: pricing.input.value, startDate: start.input.value,
      endDate: end.input.value, lines: editor.value(), maxSubcontractingShare: dec(share) };
    const r = await run(area, [producer, pricing, start, end, share, ...editor.fields()],
      "mutation($i: DirectContractInput!) { createDirectContract(input: $i) { id } }", { i: input });
    if (r) go(`/contracts/${r.createDirectContract.id}`);
  } }, producer.wrap, pricing.wrap, h("div", { class: "row" }, start.wrap, end.wrap), editor.node, share.wrap, area,
  h("div", {}, h("button", { class: "primary", type: "submit" }, t("work.createDirect"))));
  return h("section", {}, h("h1", {}, t("nav.directContract")), h("p", {}, t("work.directIntro")), form);
}

/** #/my-contracts: a producer's contracts, each with its report form. */
export async function mine() {
  const s = signedIn(isProducer);
  if (!s) return needLogin(t("nav.myContracts"), "/my-contracts");
  const d = await gql("query($p: ID) { contracts(producerId: $p) { id status version orderer { name } startDate endDate totalValue call { title } } }",
    { p: s.user.organization.id });
  return h("section", {}, h("h1", {}, t("nav.myContracts")),
    d.contracts.length ? table({
      columns: [[t("work.orderer")], [t("contract.call")], [t("contract.status")], [t("contract.period")], [t("contract.totalValue"), { num: true }], [t("work.report")]],
      rows: d.contracts.map((c) => [h("a", { href: `#/contracts/${c.id}` }, c.orderer.name), c.call?.title ?? t("contract.direct"),
        t(`contractStatus.${c.status}`), `${date(c.startDate)} – ${date(c.endDate)}`, moneyNode(c.totalValue),
        c.status === "ACTIVE" || c.status === "COMPLETED"
          ? h("a", { href: `#/my-contracts/${c.id}/report`, "aria-label": t("work.reportFor", { orderer: c.orderer.name }) }, t("work.report")) : "–"]),
    }) : h("p", {}, t("orderer.noContracts")));
}

/** #/my-contracts/<id>/report: the monthly performance report. */
export async function report({ args, render }) {
  const s = signedIn(isProducer);
  if (!s) return needLogin(t("work.reportTitle"), `/my-contracts/${args[0]}/report`);
  const d = await gql(`query($id: ID!) { contract(id: $id) { id status orderer { name } startDate endDate ${LINES}
    reports { period feedbackCount feedbackAverage lines { product { code } quantity cost } } } }`, { id: args[0] });
  const k = d.contract;
  if (!k) return h("section", {}, h("h1", {}, t("page.notFound")));
  const period = field({ name: "period", label: t("work.period"), hint: t("work.periodHint"), required: true, attrs: { placeholder: "2027-01" } });
  const editor = lineEditor({ legend: t("work.reportLines"), second: "cost", fixedProducts: true,
    initial: k.lines.map((l) => ({ productId: l.product.id, code: l.product.code, name: l.product.name })) });
  const count = field({ name: "feedbackCount", label: t("work.feedbackCount"), type: "number", value: "0", attrs: { min: "0", step: "1" } });
  const average = field({ name: "feedbackAverage", label: t("work.feedbackAverage"), hint: t("work.feedbackAverageHint"), attrs: { inputmode: "decimal" } });
  const measures = [];
  const measureList = h("div", { class: "stack" });
  const addMeasure = () => {
    const i = measures.length;
    const metric = field({ name: `qualityMeasurements[${i}].metric`, label: t("work.metric", { n: i + 1 }) });
    const value = field({ name: `qualityMeasurements[${i}].value`, label: t("work.metricValue", { n: i + 1 }), attrs: { inputmode: "decimal" } });
    measures.push({ metric, value });
    measureList.append(h("div", { class: "row line" }, metric.wrap, value.wrap));
    return metric;
  };
  addMeasure();
  const area = formError();
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const input = {
      contractId: k.id, period: period.input.value.trim(), lines: editor.value(),
      feedbackCount: Number.parseInt(count.input.value || "0", 10), feedbackAverage: dec(average),
      qualityMeasurements: measures.filter((m) => m.metric.input.value.trim()).map((m) => ({ metric: m.metric.input.value.trim(), value: dec(m.value) ?? "" })),
    };
    const r = await run(area, [period, ...editor.fields(), count, average, ...measures.flatMap((m) => [m.metric, m.value])],
      "mutation($i: PerformanceReportInput!) { reportPerformance(input: $i) { period } }", { i: input });
    if (r) {
      await render();
      document.querySelector("[data-report-saved]")?.replaceChildren(t("work.reportSaved", { period: month(r.reportPerformance.period) }));
    }
  } }, period.wrap, editor.node,
  h("fieldset", {}, h("legend", {}, t("work.feedback")), h("div", { class: "row" }, count.wrap, average.wrap)),
  h("fieldset", {}, h("legend", {}, t("work.quality")), measureList,
    h("button", { type: "button", class: "secondary", onclick: () => addMeasure().input.focus() }, t("work.addMetric"))),
  area, h("div", {}, h("button", { class: "primary", type: "submit" }, t("work.sendReport"))));
  return h("section", {},
    h("h1", {}, t("work.reportHeading", { orderer: k.orderer.name })),
    h("p", {}, `${t(`contractStatus.${k.status}`)} · ${date(k.startDate)} – ${date(k.endDate)} · `, h("a", { href: `#/contracts/${k.id}` }, t("work.contractPage"))),
    h("p", { class: "ok", role: "status", "data-report-saved": "" }),
    h("h2", {}, t("work.reportForm")), h("p", { class: "hint" }, t("work.reportHint")), form,
    h("h2", {}, t("contract.reports")),
    k.reports.length ? table({
      columns: [[t("contract.month")], [t("work.reportedLines")], [t("contract.feedback")]],
      rows: k.reports.map((r) => [h("span", { "data-period": r.period }, month(r.period)), h("span", {}, ...r.lines.flatMap((l, i) => [i ? "; " : "", `${l.product.code}: ${number(l.quantity)} / `, moneyNode(l.cost)])),
        r.feedbackAverage ? `${number(r.feedbackAverage)} (${r.feedbackCount})` : String(r.feedbackCount)]),
    }) : h("p", {}, t("contract.noReports")));
}
