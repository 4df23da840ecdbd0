// Public pages: the published calls with search, filters and pages; one call with its lines,
// criteria, deadlines, questions and answers, and the award ranking once awarded.
import { gql, session } from "../api.js";
import { h } from "../dom.js";
import { t, current, errorText, money, moneyNode, number, percent, dateTime, date, timeLeft } from "../i18n.js";
import { field } from "../forms.js";
import * as provider from "./provider.js";
import { REMEDY_FIELDS, decisionPanel } from "./remedies.js";
import { DOC_FIELDS, documentList } from "../documents.js";
import { callNotices } from "../notices.js";

/** A call's `title` or `description` in the portal's language where the call gives it, else
 *  the Finnish one, marked as Finnish for screen readers when the page speaks another. */
export function localized(c, key) {
  const lang = current();
  const suffix = { sv: "Sv", en: "En" }[lang];
  const translated = suffix ? c[`${key}${suffix}`] : null;
  if (translated) return { text: translated, lang };
  return { text: c[key], lang: "fi" };
}

/** An element of `tag` holding the call's `key` in the portal's language (`lang` set). */
function localizedNode(tag, c, key, attrs = {}) {
  const { text, lang } = localized(c, key);
  return h(tag, { ...attrs, lang }, text);
}

const STATUSES = ["PUBLISHED", "EVALUATION", "AWARDED", "CONTRACTED", "CANCELLED", "UNSUCCESSFUL"];
const PAGE = 20;

const LIST = `query($f: CallFilter, $first: Int, $after: String) {
  calls(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title titleSv titleEn status submissionDeadline orderer { name } lines { product { name category } } } }
  }
  products { category }
}`;

export function statusBadge(status) {
  return h("span", { class: "badge" }, t(`status.${status}`));
}

export async function calls({ params, go }) {
  const search = params.get("q") || "";
  const category = params.get("category") || "";
  const status = params.get("status") || "";
  const after = params.get("after") || null;
  const filter = {};
  if (search) filter.search = search;
  if (category) filter.category = category;
  if (status) filter.status = status;
  const data = await gql(LIST, { f: filter, first: PAGE, after });
  const categories = [...new Set(data.products.map((p) => p.category))].sort();
  const q = field({ name: "search", label: t("calls.search"), type: "search", value: search });
  const c = field({ name: "category", label: t("calls.category"), type: "select", value: category,
    options: [["", t("calls.all")], ...categories.map((x) => [x, x])] });
  const s = field({ name: "status", label: t("calls.status"), type: "select", value: status,
    options: [["", t("calls.all")], ...STATUSES.map((x) => [x, t(`status.${x}`)])] });
  const form = h("form", { class: "row", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (q.input.value.trim()) p.set("q", q.input.value.trim());
    if (c.input.value) p.set("category", c.input.value);
    if (s.input.value) p.set("status", s.input.value);
    go(`/calls${p.toString() ? `?${p}` : ""}`);
  } }, q.wrap, c.wrap, s.wrap, h("button", { class: "primary", type: "submit" }, t("calls.filter")));
  const rows = data.calls.edges.map(({ node }) => h("tr", {},
    h("td", {}, localizedNode("a", node, "title", { href: `#/calls/${node.id}` })),
    h("td", {}, node.orderer.name),
    h("td", {}, [...new Set(node.lines.map((l) => l.product.category))].join(", ")),
    h("td", {}, statusBadge(node.status)),
    h("td", {}, dateTime(node.submissionDeadline), h("br"), h("span", { class: "hint" }, timeLeft(node.submissionDeadline))),
  ));
  const nextParams = new URLSearchParams(params);
  nextParams.set("after", data.calls.pageInfo.endCursor || "");
  const firstParams = new URLSearchParams(params);
  firstParams.delete("after");
  return h("section", {},
    h("h1", {}, t("calls.title")),
    form,
    h("p", { role: "status" }, t("calls.count", { count: data.calls.totalCount })),
    rows.length ? h("table", {},
      h("caption", { class: "visually-hidden" }, t("calls.title")),
      h("thead", {}, h("tr", {}, ...["calls.call", "calls.orderer", "calls.category", "calls.status", "calls.deadline"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, rows)) : h("p", {}, t("calls.none")),
    h("nav", { class: "pager", "aria-label": t("calls.pages") },
      after ? h("a", { href: `#/calls?${firstParams}` }, t("calls.firstPage")) : null,
      data.calls.pageInfo.hasNextPage ? h("a", { href: `#/calls?${nextParams}` }, t("calls.nextPage")) : null),
  );
}

/** The fields the list of a call's changes reads. */
export const CHANGE_FIELDS = "version changes { version reason changedAt fields }";

/** The changes made to a published call after publication, newest first; null without any. */
export function changesPanel(c) {
  if (!c.changes?.length) return null;
  const named = (f) => (t(`fieldName.${f}`) === `fieldName.${f}` ? f : t(`fieldName.${f}`));
  return h("section", { class: "panel", "aria-labelledby": "changes-title", "data-call-changes": "" },
    h("h2", { id: "changes-title" }, t("change.listTitle", { version: c.version })),
    h("ul", {}, [...c.changes].reverse().map((ch) => h("li", {},
      h("strong", {}, t("change.item", { version: ch.version, at: dateTime(ch.changedAt) })), " ",
      t("change.fields", { fields: ch.fields.map(named).join(", ") }), " ",
      t("change.because", { reason: ch.reason })))));
}

export const CALL = `query($id: ID!) {
  call(id: $id) {
    id title description titleSv titleEn descriptionSv descriptionEn status pricingModel contractStart contractEnd questionsDeadline submissionDeadline standstillDays publishedAt estimatedValue regime
    ${CHANGE_FIELDS}
    documents { ${DOC_FIELDS} }
    orderer { id name }
    lines { id quantity product { code name unit category } }
    criteria { priceWeight minTurnoverRatio minEquityRatio minCreditRating maxSubcontractingShare
      qualityCriteria { id name weight maxPoints } capabilityRequirements { id text } }
    questions { id text answer askedAt answeredAt answerEditedAt }
    lots { id number title unsuccessfulReason lines { id quantity product { code name unit category } }
      award { decidedAt standstillEndsAt correctionDeadline appealDeadline justification ranking { rank bidder { id name } totalPrice totalScore } } }
    bidCount
    award { decidedAt standstillEndsAt correctionDeadline appealDeadline justification ranking { rank bidder { id name } totalPrice totalScore } }
    ${REMEDY_FIELDS}
  }
}`;

export async function call({ args, go, render }) {
  const data = await gql(CALL, { id: args[0] });
  const c = data.call;
  if (!c) return notFound();
  const s = session();
  const crit = c.criteria;
  const parts = [
    localizedNode("h1", c, "title"),
    h("p", {}, statusBadge(c.status), " ", t("call.by", { orderer: c.orderer.name })),
    changesPanel(c),
    localizedNode("p", c, "description"),
    documentList(c.documents, { title: t("documents.callTitle") }),
    h("h2", {}, t("call.deadlines")),
    h("dl", { class: "deadlines" },
      h("dt", {}, t("call.questionsDeadline")), h("dd", {}, dateTime(c.questionsDeadline), " – ", timeLeft(c.questionsDeadline)),
      h("dt", {}, t("call.submissionDeadline")), h("dd", {}, dateTime(c.submissionDeadline), " – ", timeLeft(c.submissionDeadline)),
      h("dt", {}, t("call.contractPeriod")), h("dd", {}, `${date(c.contractStart)} – ${date(c.contractEnd)}`),
      c.estimatedValue ? [h("dt", {}, t("call.estimatedValue")), h("dd", {}, moneyNode(c.estimatedValue))] : null,
      h("dt", {}, t("call.regime")), h("dd", { "data-regime": c.regime }, t(`regime.${c.regime}`))),
    // A call in lots shows its lines lot by lot, each lot with its own decision.
    c.lots.length ? lotsSection(c) : [h("h2", {}, t("call.lines")), linesTable(c.lines)],
    h("h2", {}, t("call.criteria")),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("call.criterion")), h("th", { scope: "col", class: "num" }, t("call.weight")),
        h("th", { scope: "col", class: "num" }, t("call.maxPoints")))),
      h("tbody", {},
        h("tr", {}, h("td", {}, t("call.price")), h("td", { class: "num" }, `${crit.priceWeight} %`), h("td", { class: "num" }, "–")),
        crit.qualityCriteria.map((q) => h("tr", {}, h("td", {}, q.name), h("td", { class: "num" }, `${q.weight} %`), h("td", { class: "num" }, String(q.maxPoints)))))),
    h("h3", {}, t("call.requirements")),
    h("ul", {},
      crit.capabilityRequirements.map((r) => h("li", {}, r.text)),
      crit.minTurnoverRatio ? h("li", {}, t("call.minTurnoverRatio", { value: number(crit.minTurnoverRatio) })) : null,
      crit.minEquityRatio ? h("li", {}, t("call.minEquityRatio", { value: percent(crit.minEquityRatio) })) : null,
      crit.minCreditRating ? h("li", {}, t("call.minCreditRating", { value: crit.minCreditRating })) : null,
      crit.maxSubcontractingShare ? h("li", {}, t("call.maxSubcontractingShare", { value: percent(crit.maxSubcontractingShare) })) : null),
    h("h2", {}, t("call.questions")),
    c.questions.length ? h("ul", { class: "cards" }, c.questions.map((q) => h("li", {},
      h("p", {}, h("strong", {}, t("call.question")), " ", q.text),
      q.answer ? h("p", {}, h("strong", {}, t("call.answer")), " ", q.answer) : h("p", { class: "muted" }, t("call.unanswered")),
      q.answerEditedAt ? h("p", { class: "hint" }, t("call.answerEdited", { at: dateTime(q.answerEditedAt) })) : null))) : h("p", {}, t("call.noQuestions")),
  ];
  if (s?.user.role === "PRODUCER" && c.status === "PUBLISHED") {
    parts.push(provider.askForm(c, render));
  }
  if (c.bidCount !== null && c.bidCount !== undefined) parts.push(h("p", {}, t("call.bidCount", { count: c.bidCount })));
  if (c.award) {
    parts.push(h("h2", {}, t("call.award")),
      h("p", {}, t("call.decided", { at: dateTime(c.award.decidedAt), until: dateTime(c.award.standstillEndsAt) })),
      h("p", {}, c.award.justification),
      rankingTable(c.award.ranking, t("call.ranking")));
    parts.push(await decisionPanel(c, s, render));
  } else if (c.lots.length && (c.lots.some((l) => l.award) || c.correctionRequests.length || c.appeals.length)) {
    // A call in lots: each lot's award has its own remedies.
    parts.push(await decisionPanel(c, s, render));
  }
  // The eForms notices to publish in Hilma (a draft's only for the call's orderer).
  parts.push(callNotices(c, { orderer: s?.user.role === "ORDERER" && s.user.organization.id === c.orderer.id }));
  // Open data: the call's OCDS release package and record, as published (no sign-in).
  if (c.status !== "DRAFT") {
    const ocds = (file, key) => h("li", {}, h("a", { href: `/ocds/calls/${encodeURIComponent(c.id)}/${file}`, download: `${c.id}-${file}`, type: "application/json" }, t(key)));
    parts.push(h("h2", {}, t("call.openData")), h("p", { class: "hint" }, t("call.openDataHint")),
      h("ul", {}, ocds("releases.json", "call.ocdsReleases"), ocds("record.json", "call.ocdsRecord")));
  }
  if (s?.user.role === "PRODUCER") parts.push(await provider.bidPanel(c, render));
  if (s?.user.role === "ORDERER") parts.push(h("p", {}, h("a", { href: `#/orderer/calls/${c.id}` }, t("call.manage"))));
  return h("article", {}, parts);
}

/** A call's lines: product, category, quantity and unit; `caption` names the table. */
function linesTable(lines, caption = null) {
  return h("table", {},
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("call.product")), h("th", { scope: "col" }, t("call.category")),
      h("th", { scope: "col", class: "num" }, t("call.quantity")), h("th", { scope: "col" }, t("call.unit")))),
    h("tbody", {}, lines.map((l) => h("tr", {}, h("td", {}, `${l.product.code} ${l.product.name}`), h("td", {}, l.product.category),
      h("td", { class: "num" }, number(l.quantity)), h("td", {}, l.product.unit)))));
}

/** An award's public ranking: rank, bidder, total price and total score. */
export function rankingTable(ranking, caption) {
  return h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "num" }, t("call.rank")), h("th", { scope: "col" }, t("call.bidder")),
      h("th", { scope: "col", class: "num" }, t("call.totalPrice")), h("th", { scope: "col", class: "num" }, t("call.totalScore")))),
    h("tbody", {}, ranking.map((r) => h("tr", {}, h("td", { class: "num" }, String(r.rank)), h("td", {}, r.bidder.name),
      h("td", { class: "num" }, moneyNode(r.totalPrice)), h("td", { class: "num" }, number(r.totalScore))))));
}

/** The lots of a call in lots: each with its number, title and lines, and once decided its
 *  award with the ranking, or why it was declared unsuccessful. */
function lotsSection(c) {
  const decided = ["EVALUATION", "AWARDED", "CONTRACTED"].includes(c.status);
  return h("section", { "aria-labelledby": "lots-title", "data-lots": "" }, h("h2", { id: "lots-title" }, t("lots.title")),
    c.lots.map((lot) => h("section", { class: "panel", "aria-labelledby": `lot-${lot.id}`, "data-lot": lot.number },
      h("h3", { id: `lot-${lot.id}` }, t("lots.heading", { n: lot.number, title: lot.title })),
      linesTable(lot.lines, t("lots.linesOf", { n: lot.number })),
      lot.award ? [h("h4", {}, t("call.award")),
        h("p", {}, t("call.decided", { at: dateTime(lot.award.decidedAt), until: dateTime(lot.award.standstillEndsAt) })),
        h("p", {}, lot.award.justification),
        rankingTable(lot.award.ranking, t("lots.rankingOf", { n: lot.number }))] : null,
      lot.unsuccessfulReason ? h("p", { "data-lot-unsuccessful": "" }, t("lots.unsuccessful", { reason: lot.unsuccessfulReason })) : null,
      decided && !lot.award && !lot.unsuccessfulReason ? h("p", { class: "hint" }, t("lots.undecided")) : null)));
}

/** A modal confirmation for a step with legal weight: a <dialog> with a heading, the
 *  summary as a definition list (pairs of [term, value]) and Confirm / Cancel. Focus moves
 *  into the dialog and back to the button that opened it; Escape cancels. Resolves true
 *  only when confirmed. */
export function confirmDialog({ title, summary = [], confirm, intro }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const heading = h("h2", { id: "confirm-title", tabindex: "-1" }, title);
    const cancel = h("button", { type: "button", class: "secondary" }, t("confirm.cancel"));
    const ok = h("button", { type: "button", class: "primary" }, confirm ?? t("confirm.ok"));
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-title", "aria-modal": "true" },
      heading, intro ? h("p", {}, intro) : null,
      h("dl", { class: "summary" }, summary.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("div", { class: "row" }, ok, cancel));
    let answer = false;
    const close = (value) => { answer = value; dialog.close(); };
    ok.addEventListener("click", () => close(true));
    cancel.addEventListener("click", () => close(false));
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    heading.focus();
  });
}

export function notFound() {
  return h("section", {}, h("h1", {}, t("page.notFound")), h("p", {}, h("a", { href: "#/calls" }, t("nav.calls"))));
}

export function failed(err) {
  const list = err.errors || [{ code: "INTERNAL" }];
  return h("section", {}, h("h1", {}, t("page.failed")), list.map((e) => h("p", { class: "error", role: "alert" }, errorText(e))));
}
