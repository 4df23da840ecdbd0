// The orderer's pages: its calls from draft to contract (create, publish, answer questions,
// assign evaluators, judge capability, score, compare, award, make and activate the
// contract), and a contract's page with its versions, monthly reports and realisation chart.
import { gql, session } from "../api.js";
import { h, svg } from "../dom.js";
import { t, ruleText, readNumber, tNodes, money, moneyNode, moneyDeltaNode, number, numberInput, dateTime, date, month, monthShort, helsinkiToIso, isoToHelsinkiInput } from "../i18n.js";
import { field, formError, showErrors, clearErrors, setFieldError, check, valueOf } from "../forms.js";
import { parse, mul, add, round, toPlain, fromInput } from "../decimal.js";
import { statusBadge, confirmDialog, changesPanel, CHANGE_FIELDS } from "./public.js";
import { bidLines, linesDetails, judgementState, anyUnjudged, qualification } from "./report.js";
import { REMEDY_FIELDS, ordererPanel } from "./remedies.js";
import { DOC_FIELDS, documentList, documentPicker } from "../documents.js";
import { noticeButton } from "../notices.js";

function signedInOrderer() {
  const s = session();
  return s?.user.role === "ORDERER" ? s : null;
}

function needOrderer(title) {
  return h("section", {}, h("h1", {}, title), h("p", {}, h("a", { href: "#/login?next=/orderer" }, t("orderer.needLogin"))));
}

/** Runs a mutation from a button or form, showing errors in `area`, then re-renders. */
async function act(area, fields, render, query, variables) {
  clearErrors(fields, area);
  try {
    const d = await gql(query, variables);
    await render();
    return d;
  } catch (err) {
    showErrors(err, fields, area);
    return null;
  }
}

export async function calls() {
  const s = signedInOrderer();
  if (!s) return needOrderer(t("nav.ordererCalls"));
  const org = s.user.organization.id;
  const d = await gql(`query($f: CallFilter, $o: ID) {
    calls(filter: $f, first: 100) { edges { node { id title status submissionDeadline unansweredQuestions } } }
    contracts(ordererId: $o) { id status producer { name } startDate endDate totalValue call { title } }
  }`, { f: { ordererId: org }, o: org });
  return h("section", {}, h("h1", {}, t("nav.ordererCalls")),
    h("p", {}, h("a", { href: "#/orderer/new" }, t("nav.newCall"))),
    h("table", {}, h("thead", {}, h("tr", {}, ...["calls.call", "calls.status", "calls.deadline", "orderer.unanswered"].map((k) => h("th", { scope: "col", class: k === "orderer.unanswered" ? "num" : null }, t(k))))),
      h("tbody", {}, d.calls.edges.map(({ node: c }) => h("tr", {},
        h("td", {}, h("a", { href: `#/orderer/calls/${c.id}` }, c.title)), h("td", {}, statusBadge(c.status)), h("td", {}, dateTime(c.submissionDeadline)),
        h("td", { class: "num" }, c.unansweredQuestions ? h("span", { class: "badge warn" }, t("orderer.unansweredCount", { count: c.unansweredQuestions })) : "0"))))),
    h("h2", {}, t("orderer.contracts")),
    d.contracts.length ? h("table", {}, h("thead", {}, h("tr", {}, ...["contract.producer", "contract.call", "contract.status", "contract.period", "contract.totalValue"]
      .map((k) => h("th", { scope: "col", class: k === "contract.totalValue" ? "num" : null }, t(k))))),
    h("tbody", {}, d.contracts.map((c) => h("tr", {},
      h("td", {}, h("a", { href: `#/contracts/${c.id}` }, c.producer.name)), h("td", {}, c.call?.title ?? t("contract.direct")),
      h("td", {}, t(`contractStatus.${c.status}`)), h("td", {}, `${date(c.startDate)} – ${date(c.endDate)}`), h("td", { class: "num" }, moneyNode(c.totalValue))))))
      : h("p", {}, t("orderer.noContracts")));
}

/** datetime-local value, read as Finnish time (Europe/Helsinki, summer time included), to RFC 3339. */
function localToIso(value) {
  return value ? helsinkiToIso(value) ?? "" : "";
}

const DRAFT_KEY = "kilpailutus.newCallDraft";

/** A quantity's own check: greater than zero (the format is checked by the field). */
function positive(raw) {
  const v = readNumber(raw);
  return v !== null && (v.startsWith("-") || /^[0.]*$/.test(v)) ? { rule: "NOT_POSITIVE", params: {} } : null;
}

/** The optional Swedish and English title and description of a call (notices carry them, and
 *  the portal shows them to users of those languages), filled from `c` when given. */
function translationFields(c = {}) {
  return [
    field({ name: "titleSv", label: t("newCall.titleSv"), value: c.titleSv ?? "", maxLength: 300, attrs: { lang: "sv" } }),
    field({ name: "descriptionSv", label: t("newCall.descriptionSv"), type: "textarea", value: c.descriptionSv ?? "", maxLength: 20000, attrs: { lang: "sv" } }),
    field({ name: "titleEn", label: t("newCall.titleEn"), value: c.titleEn ?? "", maxLength: 300, attrs: { lang: "en" } }),
    field({ name: "descriptionEn", label: t("newCall.descriptionEn"), type: "textarea", value: c.descriptionEn ?? "", maxLength: 20000, attrs: { lang: "en" } }),
  ];
}

export async function newCall({ go }) {
  if (!signedInOrderer()) return needOrderer(t("nav.newCall"));
  const { products } = await gql("{ products { id code name unit category } }");
  const productOptions = products.map((p) => [p.id, `${p.code} ${p.name} (${p.category})`]);
  const title = field({ name: "title", label: t("newCall.title"), required: true });
  const description = field({ name: "description", label: t("newCall.description"), type: "textarea", required: true });
  const pricing = field({ name: "pricingModel", label: t("newCall.pricingModel"), type: "select", options: [["UNIT_PRICE", t("pricing.UNIT_PRICE")], ["LUMP_SUM", t("pricing.LUMP_SUM")]] });
  const start = field({ name: "contractStart", label: t("newCall.contractStart"), type: "date", required: true });
  const end = field({ name: "contractEnd", label: t("newCall.contractEnd"), type: "date", required: true });
  const qDeadline = field({ name: "questionsDeadline", label: t("newCall.questionsDeadline"), type: "datetime-local", required: true });
  const sDeadline = field({ name: "submissionDeadline", label: t("newCall.submissionDeadline"), type: "datetime-local", required: true });
  const standstill = field({ name: "standstillDays", label: t("newCall.standstillDays"), type: "number", value: "14", attrs: { min: "0" }, as: "int", min: "0" });
  const priceWeight = field({ name: "priceWeight", label: t("newCall.priceWeight"), type: "number", value: "60", required: true, attrs: { min: "0", max: "100" }, as: "int", min: "0", max: "100" });
  const minTurnover = field({ name: "minTurnoverRatio", label: t("newCall.minTurnoverRatio"), hint: t("newCall.optional"), attrs: { inputmode: "decimal" }, as: "decimal", min: "0" });
  // Ratios are typed as percentages (0-100 %) and sent as ratios (0-1).
  const minEquity = field({ name: "minEquityRatio", label: t("newCall.minEquityRatio"), hint: t("newCall.optionalPercent"), attrs: { inputmode: "decimal" }, as: "percent", min: "0", max: "1" });
  const minRating = field({ name: "minCreditRating", label: t("newCall.minCreditRating"), type: "select", options: [["", t("newCall.none")], ...["AAA", "AA", "A", "B", "C"].map((r) => [r, r])] });
  const estimate = field({ name: "estimatedValue", label: t("newCall.estimatedValue"), hint: t("newCall.estimatedValueHint"), attrs: { inputmode: "decimal" }, as: "money", min: "0" });
  const maxSub = field({ name: "maxSubcontractingShare", label: t("newCall.maxSubcontractingShare"), hint: t("newCall.optionalPercent"), attrs: { inputmode: "decimal" }, as: "percent", min: "0", max: "1" });
  const translations = translationFields();
  const lines = [];
  const criteria = [];
  const linesBox = h("div", { class: "stack" });
  const criteriaBox = h("div", { class: "stack" });
  // Rows are numbered by position: removing one rebuilds the rest from their values.
  const requirements = [];
  const requirementsBox = h("div", { class: "stack" });
  const requirementValues = () => requirements.map((r) => r.input.value);
  const drawRequirements = (values) => {
    requirements.length = 0;
    requirementsBox.replaceChildren();
    values.forEach((v, i) => {
      const r = field({ name: `capabilityRequirements[${i}]`, label: t("newCall.requirement", { n: i + 1 }), value: v ?? "" });
      requirements.push(r);
      requirementsBox.append(h("div", { class: "row" }, r.wrap, h("button", { type: "button", class: "secondary",
        onclick: () => { const rest = requirementValues(); rest.splice(i, 1); drawRequirements(rest); saveDraft(); maxSub.input.focus(); } },
      t("newCall.removeRequirement", { n: i + 1 }))));
    });
  };
  const addRequirement = () => { drawRequirements([...requirementValues(), ""]); saveDraft(); requirements[requirements.length - 1]?.input.focus(); };
  const lineValues = () => lines.map(({ p, q }) => ({ p: p.input.value, q: q.input.value }));
  const criterionValues = () => criteria.map(({ n, w, m }) => ({ n: n.input.value, w: w.input.value, m: m.input.value }));
  const drawLines = (values) => {
    lines.length = 0;
    linesBox.replaceChildren();
    values.forEach((v, i) => {
      const p = field({ name: `lines[${i}].productId`, label: t("newCall.lineProduct", { n: i + 1 }), type: "select", options: productOptions, value: v.p ?? "" });
      const q = field({ name: `lines[${i}].quantity`, label: t("newCall.lineQuantity", { n: i + 1 }), required: true, value: v.q ?? "", attrs: { inputmode: "decimal" },
        as: "decimal", maxDecimals: 4, validate: positive });
      lines.push({ p, q });
      linesBox.append(h("div", { class: "row" }, p.wrap, q.wrap, values.length > 1 ? h("button", { type: "button", class: "secondary",
        onclick: () => { const rest = lineValues(); rest.splice(i, 1); drawLines(rest); saveDraft(); linesBox.querySelector("select")?.focus(); } },
      t("newCall.removeLine", { n: i + 1 })) : null));
    });
  };
  const drawCriteria = (values) => {
    criteria.length = 0;
    criteriaBox.replaceChildren();
    values.forEach((v, i) => {
      const n = field({ name: `qualityCriteria[${i}].name`, label: t("newCall.criterionName", { n: i + 1 }), required: true, value: v.n ?? "" });
      const w = field({ name: `qualityCriteria[${i}].weight`, label: t("newCall.criterionWeight", { n: i + 1 }), type: "number", required: true, value: v.w ?? "", attrs: { min: "0", max: "100" }, as: "int", min: "0", max: "100" });
      const m = field({ name: `qualityCriteria[${i}].maxPoints`, label: t("newCall.criterionMaxPoints", { n: i + 1 }), type: "number", required: true, value: v.m ?? "", attrs: { min: "1", max: "1000" }, as: "int", min: "1", max: "1000" });
      criteria.push({ n, w, m });
      criteriaBox.append(h("div", { class: "row" }, n.wrap, w.wrap, m.wrap, h("button", { type: "button", class: "secondary",
        onclick: () => { const rest = criterionValues(); rest.splice(i, 1); drawCriteria(rest); saveDraft(); priceWeight.input.focus(); } },
      t("newCall.removeCriterion", { n: i + 1 }))));
    });
  };
  const addLine = () => { drawLines([...lineValues(), {}]); saveDraft(); };
  const addCriterion = () => { drawCriteria([...criterionValues(), {}]); saveDraft(); };
  // A call in lots (osa-alueet): each lot has a title and its own lines instead of the call's
  // flat list. Lots and their rows are numbered by position, rebuilt from their values.
  const lots = [];
  const lotsBox = h("div", { class: "stack" });
  const lotValues = () => lots.map((l) => ({ title: l.title.input.value, lines: l.lines.map(({ p, q }) => ({ p: p.input.value, q: q.input.value })) }));
  const drawLots = (values) => {
    lots.length = 0;
    lotsBox.replaceChildren();
    values.forEach((v, i) => {
      const n = i + 1;
      const lotTitle = field({ name: `lots[${i}].title`, label: t("lots.lotName", { n }), required: true, maxLength: 300, value: v.title ?? "" });
      const rows = (v.lines?.length ? v.lines : [{}]).map((lv, j) => ({
        p: field({ name: `lots[${i}].lines[${j}].productId`, label: t("lots.lineProduct", { lot: n, n: j + 1 }), type: "select", options: productOptions, value: lv.p ?? "" }),
        q: field({ name: `lots[${i}].lines[${j}].quantity`, label: t("lots.lineQuantity", { lot: n, n: j + 1 }), required: true, value: lv.q ?? "", attrs: { inputmode: "decimal" },
          as: "decimal", maxDecimals: 4, validate: positive }),
      }));
      lots.push({ title: lotTitle, lines: rows });
      const change = (edit, focus) => () => { const all = lotValues(); edit(all); drawLots(all); saveDraft(); focus()?.focus(); };
      lotsBox.append(h("fieldset", { class: "lot" }, h("legend", {}, t("lots.lot", { n })), lotTitle.wrap,
        rows.map(({ p, q }, j) => h("div", { class: "row" }, p.wrap, q.wrap, rows.length > 1 ? h("button", { type: "button", class: "secondary",
          onclick: change((all) => all[i].lines.splice(j, 1), () => lots[i]?.lines[0]?.p.input) }, t("lots.removeLine", { lot: n, n: j + 1 })) : null)),
        h("div", { class: "row" },
          h("button", { type: "button", class: "secondary", onclick: change((all) => all[i].lines.push({}), () => lots[i]?.lines.at(-1)?.p.input) }, t("lots.addLine", { n })),
          values.length > 1 ? h("button", { type: "button", class: "secondary",
            onclick: change((all) => all.splice(i, 1), () => lots[Math.max(0, i - 1)]?.title.input) }, t("lots.remove", { n })) : null)));
    });
  };
  const addLot = () => { drawLots([...lotValues(), { title: "", lines: [{}] }]); saveDraft(); lots.at(-1)?.title.input.focus(); };
  const divideId = "divide-into-lots";
  const divide = h("input", { type: "checkbox", id: divideId, name: "divideIntoLots", "aria-describedby": `${divideId}-hint` });
  // Plain blocks (a styled one would show through `hidden`), each a stack inside.
  const flatPart = h("div", {}, h("div", { class: "stack" }, linesBox, h("div", {}, h("button", { type: "button", class: "secondary", onclick: addLine }, t("newCall.addLine")))));
  const lotsPart = h("div", {}, h("div", { class: "stack" }, lotsBox, h("div", {}, h("button", { type: "button", class: "secondary", onclick: addLot }, t("lots.add")))));
  // Only the chosen way is shown (and checked and sent); the other keeps its values.
  const showDivision = () => {
    flatPart.hidden = divide.checked;
    lotsPart.hidden = !divide.checked;
  };
  divide.addEventListener("change", () => {
    // The first lot starts from the lines given so far.
    if (divide.checked && !lots.length) drawLots([{ title: "", lines: lineValues() }]);
    showDivision();
    saveDraft();
  });
  // The draft is kept in this tab until the call is created.
  const plainFields = () => [title, description, ...translations, pricing, estimate, start, end, qDeadline, sDeadline, standstill, priceWeight, minTurnover, minEquity, minRating, maxSub];
  let picker = null;
  const saveDraft = () => {
    const values = Object.fromEntries(plainFields().map((f) => [f.name, f.input.value]));
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ values, lines: lineValues(), divided: divide.checked, lots: lotValues(), criteria: criterionValues(), requirements: requirementValues(), documents: picker?.docs() ?? [] }));
  };
  let draft = null;
  try { draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null"); } catch { draft = null; }
  // The call's documents (the call for tenders, the service description, the draft contract,
  // price forms): uploaded as they are chosen, attached when the call is created.
  picker = documentPicker({ label: t("documents.callPick"), initial: Array.isArray(draft?.documents) ? draft.documents : [], onchange: () => saveDraft() });
  if (draft) for (const f of plainFields()) if (typeof draft.values?.[f.name] === "string") f.input.value = draft.values[f.name];
  drawLines(draft?.lines?.length ? draft.lines : [{}]);
  if (Array.isArray(draft?.lots) && draft.lots.length) drawLots(draft.lots);
  divide.checked = Boolean(draft?.divided) && lots.length > 0;
  showDivision();
  drawCriteria(draft?.criteria ?? [{}]);
  drawRequirements(Array.isArray(draft?.requirements) ? draft.requirements : []);
  const area = formError();
  const plain = plainFields;
  const lineFields = () => (divide.checked ? lots.flatMap((l) => [l.title, ...l.lines.flatMap((x) => [x.p, x.q])]) : lines.flatMap((l) => [l.p, l.q]));
  const all = () => [...plain(), ...lineFields(), ...criteria.flatMap((c) => [c.n, c.w, c.m]), ...requirements];
  const dec = (f) => (f.input.value.trim() ? fromInput(f.input.value) ?? f.input.value.trim() : null);
  const ratio = (f) => (f.input.value.trim() ? valueOf(f) : null);
  // The rules between fields: weights with the price weight sum to 100, the questions deadline
  // not after the submission deadline, the contract's end after its start.
  const crossProblems = () => {
    const out = [];
    const ints = [priceWeight, ...criteria.map((c) => c.w)].map((f) => f.input.value.trim());
    if (ints.every((v) => /^\d+$/.test(v))) {
      const sum = ints.reduce((a, v) => a + Number(v), 0);
      if (sum !== 100) out.push([priceWeight, { rule: "WEIGHTS_SUM", params: { expected: 100, actual: sum } }]);
    }
    const [q, sd] = [localToIso(qDeadline.input.value), localToIso(sDeadline.input.value)];
    if (q && sd && Date.parse(q) > Date.parse(sd)) out.push([qDeadline, { rule: "AFTER_OTHER", params: { other: "submissionDeadline" } }]);
    if (start.input.value && end.input.value && end.input.value <= start.input.value) out.push([end, { rule: "NOT_AFTER_OTHER", params: { other: "contractStart" } }]);
    return out;
  };
  const form = h("form", { class: "stack", novalidate: true, oninput: () => saveDraft(), onchange: () => saveDraft(), onsubmit: async (e) => {
    e.preventDefault();
    // Every missing or malformed field at once, beside each, then the rules that join fields.
    const fine = check(all(), area);
    const joined = crossProblems();
    if (!fine || joined.length) {
      for (const [f, p] of joined) if (!f.input.hasAttribute("aria-invalid")) setFieldError(f, ruleText(p.rule, p.params));
      // In the order the form shows them, so the first one in view gets the focus.
      const wrong = all().filter((f) => f.input.getAttribute("aria-invalid") === "true")
        .sort((x, y) => (x.input.compareDocumentPosition(y.input) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      area.replaceChildren(h("p", {}, t("form.problems", { count: wrong.length })));
      wrong[0]?.input.focus();
      return;
    }
    const input = {
      title: title.input.value.trim(), description: description.input.value.trim(), pricingModel: pricing.input.value,
      // A call in lots has its lines in its lots only.
      lines: divide.checked ? [] : lines.map(({ p, q }) => ({ productId: p.input.value, quantity: dec(q) ?? "" })),
      ...(divide.checked ? { lots: lots.map((l) => ({ title: l.title.input.value.trim(), lines: l.lines.map(({ p, q }) => ({ productId: p.input.value, quantity: dec(q) ?? "" })) })) } : {}),
      contractStart: start.input.value, contractEnd: end.input.value,
      questionsDeadline: localToIso(qDeadline.input.value), submissionDeadline: localToIso(sDeadline.input.value),
      standstillDays: Number(standstill.input.value || 14), priceWeight: Number(priceWeight.input.value || 0),
      qualityCriteria: criteria.map(({ n, w, m }) => ({ name: n.input.value.trim(), weight: Number(w.input.value || 0), maxPoints: Number(m.input.value || 0) })),
      minTurnoverRatio: dec(minTurnover), minEquityRatio: ratio(minEquity), minCreditRating: minRating.input.value || null,
      capabilityRequirements: requirements.map((r) => r.input.value.trim()),
      maxSubcontractingShare: ratio(maxSub),
      estimatedValue: dec(estimate),
      ...Object.fromEntries(translations.map((f) => [f.name, f.input.value.trim() || null])),
      documentIds: picker.ids(),
    };
    clearErrors(all(), area);
    try {
      const d = await gql("mutation($i: CreateCallInput!) { createCall(input: $i) { id } }", { i: input });
      sessionStorage.removeItem(DRAFT_KEY);
      go(`/orderer/calls/${d.createCall.id}`);
    } catch (err) {
      showErrors(err, [...all(), picker], area);
    }
  } },
  title.wrap, description.wrap,
  h("fieldset", {}, h("legend", {}, t("newCall.translations")), h("p", { class: "hint" }, t("newCall.translationsHint")), ...translations.map((f) => f.wrap)),
  pricing.wrap, estimate.wrap,
  h("fieldset", {}, h("legend", {}, t("documents.callTitle")), picker.wrap),
  h("fieldset", {}, h("legend", {}, t("newCall.lines")),
    h("div", { class: "field" }, h("div", {}, divide, " ", h("label", { for: divideId, class: "inline" }, t("lots.divide"))),
      h("span", { id: `${divideId}-hint`, class: "hint" }, t("lots.divideHint"))),
    flatPart, lotsPart),
  h("fieldset", {}, h("legend", {}, t("newCall.dates")), start.wrap, end.wrap, qDeadline.wrap, sDeadline.wrap, standstill.wrap),
  h("fieldset", {}, h("legend", {}, t("newCall.criteria")), priceWeight.wrap, criteriaBox,
    h("button", { type: "button", class: "secondary", onclick: addCriterion }, t("newCall.addCriterion"))),
  h("fieldset", {}, h("legend", {}, t("newCall.qualification")), minTurnover.wrap, minEquity.wrap, minRating.wrap, maxSub.wrap,
    h("fieldset", {}, h("legend", {}, t("newCall.requirements")), requirementsBox,
      h("button", { type: "button", class: "secondary", onclick: addRequirement }, t("newCall.addRequirement")))),
  area, h("button", { class: "primary", type: "submit" }, t("newCall.create")));
  return h("section", {}, h("h1", {}, t("nav.newCall")), form);
}

/** What the orderer's page reads of an evaluation: the call's, or on a call in lots each lot's. */
const EVALUATION_FIELDS = `evaluators { id name }
      results { bid { id submittedAt bidder { id name } inHouse totalPrice capabilityResponses { requirement { id } evidence } qualityResponses { criterion { id } text } }
        qualified disqualificationReasons reasonCodes { code actual required year requirementId message } priceScore qualityScore totalScore rank abnormallyLow }
      report { rows { evaluation { bid { id } } capability { requirement { id } met }
        criteria { criterion { id } scores { evaluator { id } points } } } }`;

const AWARD_FIELDS = "bid { id bidder { name } } justification decidedAt standstillEndsAt correctionDeadline appealDeadline ranking { bidder { id name } }";

const MANAGE = `query($id: ID!) {
  me { id organization { id } }
  call(id: $id) {
    id title description titleSv titleEn descriptionSv descriptionEn status submissionDeadline questionsDeadline standstillDays orderer { id name }
    lines { id quantity product { id code name unit } lot { id number } }
    lots { id number title unsuccessfulReason award { bid { id bidder { name } } decidedAt standstillEndsAt correctionDeadline appealDeadline ranking { bidder { id name } } } }
    ${CHANGE_FIELDS}
    documents { ${DOC_FIELDS} }
    criteria { priceWeight qualityCriteria { id name weight maxPoints } capabilityRequirements { id text } }
    questions { id text answer askedAt answerEditedAt }
    bidCount
    award { ${AWARD_FIELDS} }
    ${REMEDY_FIELDS}
  }
  contracts { id status call { id } lot { id } }
}`;

/** The call's evaluation, read apart from the page's question: the API prices a question by
 *  the size of its answer, and the two together would cost too much. */
const EVALUATION = `query($id: ID!) { call(id: $id) { evaluation { ${EVALUATION_FIELDS} } } }`;

// A call in lots: its lots' evaluations are read apart, in parts. The API prices a question
// by the size of its answer (every list counted full), and every lot's whole evaluation in
// one question would cost too much: here each lot's comparison with the bids read once, the
// bids' disqualification reasons, their judgements, and their quality points.
const LOT_RESULTS = `query($id: ID!) { call(id: $id) {
  bids { id submittedAt bidder { id name } inHouse totalPrice capabilityResponses { requirement { id } evidence } qualityResponses { criterion { id } text } }
  lots { id evaluation { evaluators { id name } results { bid { id } qualified priceScore qualityScore totalScore rank abnormallyLow } } } } }`;
const LOT_REASONS = `query($id: ID!) { call(id: $id) { lots { evaluation { results { bid { id } reasonCodes { code actual required year requirementId } } } } } }`;
const LOT_JUDGEMENTS = `query($id: ID!) { call(id: $id) { lots { evaluation { report { rows { evaluation { bid { id } } capability { requirement { id } met } } } } } } }`;
const LOT_POINTS = `query($id: ID!) { call(id: $id) { lots { evaluation { report { rows { evaluation { bid { id } } criteria { criterion { id } mean } } } } } } }`;

/**
 * Each lot's evaluation (its results with the whole bids) set on `c.lots`, and the bids'
 * report rows, each bid once (its judgements and quality points are its own, the same in
 * every lot). A bid's own points per criterion are not read (too costly for every lot): they
 * are the mean when `me` is the only evaluator, else not shown.
 */
async function readLotEvaluations(c, me) {
  const [a, r, j, p] = await Promise.all([LOT_RESULTS, LOT_REASONS, LOT_JUDGEMENTS, LOT_POINTS].map((q) => gql(q, { id: c.id })));
  const bids = new Map((a.call?.bids ?? []).map((b) => [b.id, b]));
  const perBid = (d, pick) => new Map((d.call?.lots ?? []).flatMap((l) => pick(l.evaluation) ?? []).map((x) => [x.bid?.id ?? x.evaluation.bid.id, x]));
  const reasons = perBid(r, (e) => e?.results);
  const judged = perBid(j, (e) => e?.report.rows);
  const points = perBid(p, (e) => e?.report.rows);
  const evaluations = new Map((a.call?.lots ?? []).map((l) => [l.id, l.evaluation && {
    evaluators: l.evaluation.evaluators,
    results: l.evaluation.results.filter((x) => bids.has(x.bid.id))
      .map((x) => ({ ...x, bid: bids.get(x.bid.id), reasonCodes: reasons.get(x.bid.id)?.reasonCodes ?? [] })),
  }]));
  for (const lot of c.lots) lot.evaluation = evaluations.get(lot.id) ?? null;
  const evaluators = [...evaluations.values()].find(Boolean)?.evaluators ?? [];
  const alone = evaluators.length === 1 && evaluators[0].id === me.id;
  return [...judged.keys()].map((id) => ({
    evaluation: { bid: { id } },
    capability: judged.get(id).capability,
    criteria: (points.get(id)?.criteria ?? []).map((x) => ({ criterion: x.criterion,
      scores: alone && x.mean != null ? [{ evaluator: { id: me.id }, points: Number(x.mean) }] : [] })),
  }));
}

/** A line's product as the orderer's pages name it, with its lot on a call in lots. */
function lineName(l) {
  const name = `${l.product.code} ${l.product.name}`;
  return l.lot ? `${t("lots.lot", { n: l.lot.number })} · ${name}` : name;
}

/** The reason the API gives for a bid whose capability nobody has judged yet. */

/** The change form of a DRAFT (edited in place) or a PUBLISHED call (a new version with a
 *  reason): title, description, deadlines and line quantities; only what differs is sent,
 *  after a confirmation naming it (and warning that changed quantities make bids not current). */
function changeForm(c, render) {
  const draft = c.status === "DRAFT";
  const title = field({ name: "title", label: t("newCall.title"), required: true, value: c.title, maxLength: 300 });
  const description = field({ name: "description", label: t("newCall.description"), type: "textarea", required: true, value: c.description, maxLength: 20000 });
  const qDeadline = field({ name: "questionsDeadline", label: t("newCall.questionsDeadline"), type: "datetime-local", required: true, value: isoToHelsinkiInput(c.questionsDeadline) });
  const sDeadline = field({ name: "submissionDeadline", label: t("newCall.submissionDeadline"), type: "datetime-local", required: true, value: isoToHelsinkiInput(c.submissionDeadline) });
  const quantities = c.lines.map((l, i) => field({ name: `lines[${i}].quantity`, label: t("change.quantity", { product: lineName(l), unit: l.product.unit }),
    required: true, value: numberInput(l.quantity), as: "decimal", min: "0", maxDecimals: 4, attrs: { inputmode: "decimal" } }));
  const reason = field({ name: "reason", label: t("change.reason"), type: "textarea", required: !draft, maxLength: 20000, hint: draft ? t("change.draftReasonHint") : null });
  const added = documentPicker({ label: t("documents.addToCall") });
  const translations = translationFields(c);
  const fields = [title, description, ...translations, qDeadline, sDeadline, ...quantities, reason, added];
  const area = formError();
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    const change = {};
    const named = [];
    if (title.input.value.trim() !== c.title) { change.title = title.input.value; named.push(t("newCall.title")); }
    if (description.input.value.trim() !== c.description) { change.description = description.input.value; named.push(t("newCall.description")); }
    // A translation emptied is sent blank, which removes it.
    for (const f of translations) {
      if (f.input.value.trim() !== (c[f.name] ?? "")) { change[f.name] = f.input.value.trim(); named.push(t(`newCall.${f.name}`)); }
    }
    // A deadline is sent only when its input was changed (the input holds whole minutes).
    if (qDeadline.input.value !== isoToHelsinkiInput(c.questionsDeadline)) {
      change.questionsDeadline = localToIso(qDeadline.input.value);
      named.push(t("newCall.questionsDeadline"));
    }
    if (sDeadline.input.value !== isoToHelsinkiInput(c.submissionDeadline)) {
      change.submissionDeadline = localToIso(sDeadline.input.value);
      named.push(t("newCall.submissionDeadline"));
    }
    const given = quantities.map((f) => valueOf(f));
    if (given.some((v, i) => Number(v) !== Number(c.lines[i].quantity))) {
      const line = (l) => ({ productId: l.product.id, quantity: given[c.lines.indexOf(l)] });
      // A call in lots changes its lines through its lots: all of them, in order.
      if (c.lots.length) change.lots = c.lots.map((lot) => ({ title: lot.title, lines: c.lines.filter((l) => l.lot?.id === lot.id).map(line) }));
      else change.lines = c.lines.map(line);
      named.push(t("call.lines"));
    }
    if (added.ids().length) {
      change.documentIds = added.ids();
      named.push(t("documents.title"));
    }
    if (!named.length) {
      area.replaceChildren(h("p", {}, t("rule.NO_CHANGE")));
      return;
    }
    const sure = await confirmDialog({ title: t(draft ? "change.confirmDraft" : "change.confirm"), confirm: t("change.save"),
      intro: (change.lines || change.lots) && !draft ? t("change.materialWarning") : null,
      summary: [[t("change.changed"), named.join(", ")], [t("change.reason"), reason.input.value.trim() || "–"]] });
    if (sure) await act(area, fields, render, "mutation($id: ID!, $c: CallChangeInput!, $r: String!) { changeCall(id: $id, change: $c, reason: $r) { id } }",
      { id: c.id, c: change, r: reason.input.value });
  } }, h("p", { class: "hint" }, t(draft ? "change.draftHint" : "change.publishedHint")), title.wrap, description.wrap,
  h("fieldset", {}, h("legend", {}, t("newCall.translations")), ...translations.map((f) => f.wrap)), qDeadline.wrap, sDeadline.wrap,
  ...quantities.map((f) => f.wrap), added.wrap, reason.wrap, area, h("button", { class: "primary", type: "submit" }, t("change.save")));
  return h("details", { class: "panel" }, h("summary", {}, t(draft ? "change.editDraft" : "change.title")), form);
}

/** A form with a reason and a button that asks for confirmation first. */
function reasonForm({ legend, label, button, danger, dialogTitle, summary, send }) {
  const reason = field({ name: "reason", label, type: "textarea", required: true });
  const area = formError();
  return h("form", { class: "stack panel", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const sure = await confirmDialog({ title: dialogTitle, confirm: button, summary: [...summary, [label, reason.input.value.trim() || "–"]] });
    if (sure) await send(reason, area);
  } }, h("h3", {}, legend), reason.wrap, area, h("button", { class: danger ? "danger" : "secondary", type: "submit" }, button));
}

export async function manage({ args, render }) {
  if (!signedInOrderer()) return needOrderer(t("nav.ordererCalls"));
  const [d, e] = await Promise.all([gql(MANAGE, { id: args[0] }), gql(EVALUATION, { id: args[0] })]);
  const c = d.call;
  if (!c) return h("section", {}, h("h1", {}, t("page.notFound")));
  c.evaluation = e.call?.evaluation ?? null;
  const parts = [h("h1", {}, c.title), h("p", {}, statusBadge(c.status), " ", h("a", { href: `#/calls/${c.id}` }, t("orderer.publicPage")))];
  const area = formError();
  parts.push(area);
  if (c.status === "DRAFT") {
    parts.push(h("button", { class: "primary", type: "button", onclick: async () => {
      const sure = await confirmDialog({ title: t("orderer.confirmPublish"), confirm: t("orderer.publish"), summary: [
        [t("newCall.title"), c.title],
        [t("call.questionsDeadline"), dateTime(c.questionsDeadline)],
        [t("call.submissionDeadline"), dateTime(c.submissionDeadline)],
        ...(c.lots.length ? [[t("lots.title"), h("ul", {}, c.lots.map((lot) => h("li", {}, t("lots.heading", { n: lot.number, title: lot.title }))))]] : []),
        [t("call.lines"), h("ul", {}, c.lines.map((l) => h("li", {}, `${lineName(l)}: ${number(l.quantity)} ${l.product.unit}`)))],
        [t("call.criteria"), h("ul", {}, h("li", {}, `${t("call.price")} ${c.criteria.priceWeight} %`),
          c.criteria.qualityCriteria.map((q) => h("li", {}, `${q.name} ${q.weight} % (${t("call.maxPoints")} ${q.maxPoints})`)))],
      ] });
      if (sure) await act(area, [], render, "mutation($id: ID!) { publishCall(id: $id) { id } }", { id: c.id });
    } }, t("orderer.publish")));
  }
  const changes = changesPanel(c);
  if (changes) parts.push(changes);
  parts.push(documentList(c.documents, { title: t("documents.callTitle"), empty: t("documents.none") }));
  if (c.status === "DRAFT" || c.status === "PUBLISHED") parts.push(changeForm(c, render));
  // Questions: each unanswered one with its answer form; answered ones can be corrected.
  parts.push(h("h2", {}, t("call.questions")));
  if (!c.questions.length) parts.push(h("p", {}, t("call.noQuestions")));
  for (const q of c.questions) {
    const answer = field({ name: "answer", label: q.answer ? t("orderer.editAnswerTo", { question: q.text }) : t("orderer.answerTo", { question: q.text }),
      type: "textarea", required: true, value: q.answer ?? "" });
    const qArea = formError();
    const form = h("form", { class: "stack", novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      act(qArea, [answer], render, "mutation($q: ID!, $a: String!) { answerQuestion(questionId: $q, answer: $a) { id } }", { q: q.id, a: answer.input.value });
    } }, answer.wrap, qArea, h("button", { class: "secondary", type: "submit" }, q.answer ? t("orderer.saveEditedAnswer") : t("orderer.answer")));
    if (q.answer) {
      parts.push(h("div", { class: "panel" }, h("p", {}, h("strong", {}, t("call.question")), " ", q.text), h("p", {}, h("strong", {}, t("call.answer")), " ", q.answer),
        q.answerEditedAt ? h("p", { class: "hint" }, t("call.answerEdited", { at: dateTime(q.answerEditedAt) })) : null,
        h("details", {}, h("summary", {}, t("orderer.editAnswer")), h("p", { class: "hint" }, t("orderer.editAnswerHint")), form)));
    } else {
      form.classList.add("panel");
      parts.push(form);
    }
  }
  // Once the bids are opened (bidCount is shown from then on), their sealed log can be read.
  if (c.bidCount !== null && c.bidCount !== undefined) {
    parts.push(h("p", {}, h("a", { href: `#/audit?sealedCall=${encodeURIComponent(c.id)}` }, t("orderer.sealedLogLink"))));
  }
  // Once the bids are opened (bidCount is shown), a call in lots reads its lots' evaluations.
  const lotRows = c.lots.length && c.bidCount != null ? await readLotEvaluations(c, d.me) : [];
  if (c.evaluation || c.lots.some((l) => l.evaluation)) parts.push(...(await evaluationParts(c, d.me, render, d.contracts, lotRows)));
  if (c.award) {
    parts.push(h("h2", {}, t("call.award")),
      h("p", {}, t("orderer.awardedTo", { bidder: c.award.bid.bidder.name })),
      h("p", {}, t("call.decided", { at: dateTime(c.award.decidedAt), until: dateTime(c.award.standstillEndsAt) })));
    const contract = d.contracts.find((k) => k.call?.id === c.id);
    if (contract) {
      parts.push(h("p", {}, h("a", { href: `#/contracts/${contract.id}` }, t("orderer.openContract"))));
    } else if ([...c.correctionRequests, ...c.appeals].some((x) => x.status === "PENDING")) {
      // The server refuses the contract while a remedy is pending: say so instead of offering it.
      parts.push(h("p", { class: "panel", "data-contract-waits": "" }, t("remedy.contractWaits")));
    } else {
      const cArea = formError();
      parts.push(cArea, h("button", { class: "primary", type: "button", onclick: async () => {
        const r = await act(cArea, [], async () => {}, "mutation($c: ID!) { createContractFromAward(callId: $c) { id } }", { c: c.id });
        if (r) location.hash = `/contracts/${r.createContractFromAward.id}`;
      } }, t("orderer.makeContract")));
    }
  }
  // The decision's remedies: correction requests, the award's withdrawal, appeals; on a call
  // in lots, each decided lot's.
  const lotDecided = c.lots.some((l) => l.award || l.unsuccessfulReason);
  if (c.award || c.correctionRequests.length || c.appeals.length || (c.status === "UNSUCCESSFUL" && !c.lots.length) || lotDecided) {
    const bidders = new Map((c.evaluation?.results ?? []).map((r) => [r.bid.bidder.id, r.bid.bidder.name]));
    for (const r of c.award?.ranking ?? []) bidders.set(r.bidder.id, r.bidder.name);
    // On a call in lots an appeal is recorded about a lot's decision, in the lot's part (its
    // bidders are those of the lot's evaluation): none about the whole call.
    parts.push(ordererPanel(c, c.lots.length ? [] : [...bidders], render, d.contracts));
  }
  // Ending the call without a contract: cancel it (before an award) or declare it unsuccessful.
  const summary = [[t("newCall.title"), c.title], [t("calls.status"), t(`status.${c.status}`)]];
  if (["DRAFT", "PUBLISHED", "EVALUATION"].includes(c.status) && !c.award) {
    parts.push(h("h2", {}, t("orderer.endCall")));
    parts.push(reasonForm({ legend: t("orderer.cancelCall"), label: t("orderer.cancelReason"), button: t("orderer.cancelCall"), danger: true, dialogTitle: t("orderer.confirmCancel"), summary,
      send: (reason, a) => act(a, [reason], render, "mutation($id: ID!, $r: String!) { cancelCall(id: $id, reason: $r) { id } }", { id: c.id, r: reason.input.value }) }));
    if (c.status === "EVALUATION") {
      parts.push(reasonForm({ legend: t("orderer.declareUnsuccessful"), label: t("orderer.unsuccessfulReason"), button: t("orderer.declareUnsuccessful"), danger: true, dialogTitle: t("orderer.confirmUnsuccessful"), summary,
        send: (reason, a) => act(a, [reason], render, "mutation($c: ID!, $r: String!) { declareUnsuccessful(callId: $c, reason: $r) { id } }", { c: c.id, r: reason.input.value }) }));
    }
  }
  return h("article", {}, parts);
}

/** Re-renders after a save in a bid's panel, then brings the evaluator back to that panel's
 *  button (not to the top of the page) and says it was saved. */
function stayAt(render, bidId, which) {
  return async () => {
    await render();
    const panel = document.querySelector(`section[data-bid="${bidId}"]`);
    const button = panel?.querySelector(`button[data-save="${which}"]`);
    if (!button) return;
    button.focus();
    const status = panel.querySelector(`[data-saved="${which}"]`);
    if (status) status.textContent = t("orderer.saved");
  };
}

/**
 * The evaluation of a call in lots, for what is each bid's own (its qualification, capability
 * judgements and quality scores, the same in every lot it covers): the lots' evaluations'
 * bids, each once. Prices, scores and ranks are the lots' (see `lotParts`).
 */
function bidsOfLots(lots, rows) {
  const evs = lots.map((l) => l.evaluation).filter(Boolean);
  return {
    evaluators: evs[0]?.evaluators ?? [],
    results: [...new Map(evs.flatMap((e) => e.results).map((r) => [r.bid.id, r])).values()],
    report: { rows },
  };
}

/** A comparison table of evaluation results, by rank, under `caption`. */
function comparisonTable(results, caption, qualifiedCell) {
  return h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...["call.rank", "call.bidder", "call.totalPrice", "orderer.priceScore", "orderer.qualityScore", "call.totalScore", "orderer.qualified"]
      .map((k) => h("th", { scope: "col", class: ["call.rank", "call.totalPrice", "orderer.priceScore", "orderer.qualityScore", "call.totalScore"].includes(k) ? "num" : null }, t(k))))),
    h("tbody", {}, results.map((r) => h("tr", {},
      h("td", { class: "num" }, r.rank ?? "–"),
      h("td", {}, r.bid.bidder.name, r.bid.inHouse ? ` (${t("orderer.inHouse")})` : ""),
      h("td", { class: "num" }, moneyNode(r.bid.totalPrice), r.abnormallyLow ? h("span", { class: "badge warn" }, ` ${t("orderer.abnormallyLow")}`) : null),
      h("td", { class: "num" }, number(r.priceScore)), h("td", { class: "num" }, number(r.qualityScore)), h("td", { class: "num" }, number(r.totalScore)),
      h("td", {}, qualifiedCell(r))))));
}

/** The award form of the call (`lot` null) or of one lot: the winner among the qualified
 *  results, chosen by the officer, and the justification, confirmed first. */
function awardForm(c, lot, results, render) {
  const qualified = results.filter((r) => r.qualified);
  if (!qualified.length) return [h("p", {}, t("orderer.noQualified"))];
  const aArea = formError();
  const n = lot?.number;
  const winner = field({ name: "bidId", label: lot ? t("lots.winner", { n }) : t("orderer.winner"), type: "select", required: true,
    options: [["", t("orderer.chooseWinner")], ...qualified.map((r) => [r.bid.id, `${r.rank ?? "–"}. ${r.bid.bidder.name}`])] });
  const justification = field({ name: "justification", label: lot ? t("lots.justification", { n }) : t("orderer.justification"), type: "textarea", required: true });
  const button = lot ? t("lots.award", { n }) : t("orderer.award");
  return [h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors([winner, justification], aArea);
    const chosen = qualified.find((r) => r.bid.id === winner.input.value);
    if (!chosen) { setFieldError(winner, t("orderer.chooseWinnerFirst")); winner.input.focus(); return; }
    const sure = await confirmDialog({ title: lot ? t("lots.confirmAward", { n }) : t("orderer.confirmAward"), confirm: button, summary: [
      ...(lot ? [[t("lots.title"), t("lots.heading", { n, title: lot.title })]] : []),
      [t("orderer.winner"), chosen.bid.bidder.name], [t("call.totalScore"), number(chosen.totalScore)], [t("call.rank"), String(chosen.rank ?? "–")],
      [t("call.totalPrice"), money(chosen.bid.totalPrice)], [t("orderer.justification"), justification.input.value.trim() || "–"]] });
    if (!sure) return;
    if (lot) {
      act(aArea, [winner, justification], render, "mutation($l: ID!, $b: ID!, $j: String!) { awardLot(lotId: $l, bidId: $b, justification: $j) { decidedAt } }",
        { l: lot.id, b: winner.input.value, j: justification.input.value });
    } else {
      act(aArea, [winner, justification], render, "mutation($c: ID!, $b: ID!, $j: String!) { awardCall(callId: $c, bidId: $b, justification: $j) { decidedAt } }",
        { c: c.id, b: winner.input.value, j: justification.input.value });
    }
  } }, winner.wrap, justification.wrap, aArea, h("button", { class: "primary", type: "submit" }, button))];
}

/** One lot's decision: its award with the contract (made after the lot's standstill), or
 *  why it was declared unsuccessful, or else the award form and the unsuccessful form. */
function lotDecision(c, lot, contracts, render) {
  const n = lot.number;
  const out = [h("h3", { id: `lot-decision-${lot.id}` }, t("lots.decisionOf", { n }), " – ", lot.title)];
  if (lot.award) {
    out.push(h("p", {}, t("lots.awardedTo", { n, bidder: lot.award.bid.bidder.name })),
      h("p", {}, t("call.decided", { at: dateTime(lot.award.decidedAt), until: dateTime(lot.award.standstillEndsAt) })));
    const contract = contracts.find((k) => k.lot?.id === lot.id);
    const pending = [...c.correctionRequests, ...c.appeals].some((x) => x.status === "PENDING" && (!x.lot || x.lot.id === lot.id));
    if (contract) {
      out.push(h("p", {}, h("a", { href: `#/contracts/${contract.id}` }, t("lots.openContract", { n }))));
    } else if (pending) {
      out.push(h("p", { class: "panel", "data-contract-waits": "" }, t("remedy.contractWaits")));
    } else {
      // The server refuses the contract before the lot's standstill has ended, and says so.
      const cArea = formError();
      out.push(cArea, h("button", { class: "primary", type: "button", onclick: async () => {
        const r = await act(cArea, [], async () => {}, "mutation($l: ID!) { createContractFromLotAward(lotId: $l) { id } }", { l: lot.id });
        if (r) location.hash = `/contracts/${r.createContractFromLotAward.id}`;
      } }, t("lots.makeContract", { n })));
    }
  } else if (lot.unsuccessfulReason) {
    out.push(h("p", { "data-lot-unsuccessful": "" }, t("lots.unsuccessful", { reason: lot.unsuccessfulReason })));
  } else {
    const results = lot.evaluation?.results ?? [];
    out.push(...(results.length ? awardForm(c, lot, results, render) : [h("p", {}, t("lots.noBids"))]));
    out.push(reasonForm({ legend: t("lots.declareUnsuccessful", { n }), label: t("lots.unsuccessfulReason", { n }), button: t("lots.declareUnsuccessful", { n }), danger: true,
      dialogTitle: t("lots.confirmUnsuccessful", { n }), summary: [[t("lots.title"), t("lots.heading", { n, title: lot.title })]],
      send: (reason, a) => act(a, [reason], render, "mutation($l: ID!, $r: String!) { declareLotUnsuccessful(lotId: $l, reason: $r) { id } }", { l: lot.id, r: reason.input.value }) }));
  }
  return h("section", { class: "panel", "aria-labelledby": `lot-decision-${lot.id}`, "data-lot-decision": n }, out);
}

async function evaluationParts(c, me, render, contracts = [], lotRows = []) {
  // A call in lots has no evaluation of its own: each lot is compared and decided apart.
  const inLots = c.lots.length > 0;
  const ev = inLots ? bidsOfLots(c.lots, lotRows) : c.evaluation;
  const decided = inLots ? c.lots.every((l) => l.award || l.unsuccessfulReason) : Boolean(c.award);
  const out = [h("h2", {}, t("orderer.evaluation")),
    inLots ? null : h("p", {}, h("a", { href: `#/orderer/calls/${c.id}/report`, "data-report-link": "" }, t("orderer.reportLink")))];
  const rowOf = new Map(ev.report.rows.map((r) => [r.evaluation.bid.id, r]));
  // Evaluators, and the bids' unit prices (opened with the bids; null if they could not be read).
  // The bids' attachments, read apart from the page's query (each bid may have 20).
  const [{ users }, lines, attached] = await Promise.all([gql("query { users: myColleagues { id name } }").catch(() => ({ users: [] })), bidLines(c.id),
    gql(`query($id: ID!) { call(id: $id) { bids { id documents { ${DOC_FIELDS} } } } }`, { id: c.id }).then((x) => new Map((x.call?.bids ?? []).map((b) => [b.id, b.documents]))).catch(() => new Map())]);
  const linesOf = (b) => linesDetails(b.bidder.name, lines === null ? null : (lines.get(b.id) ?? []));
  const assigned = new Set(ev.evaluators.map((u) => u.id));
  const evArea = formError();
  const pick = field({ name: "userId", label: t("orderer.evaluator"), type: "select",
    options: users.filter((u) => !assigned.has(u.id)).map((u) => [u.id, u.name]) });
  out.push(h("p", {}, t("orderer.evaluators"), " ", ev.evaluators.map((u) => u.name).join(", ") || "–"));
  if (!decided && pick.input.options.length) {
    out.push(h("form", { class: "row", novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      act(evArea, [pick], render, "mutation($c: ID!, $u: ID!) { assignEvaluator(callId: $c, userId: $u) { evaluators { id } } }", { c: c.id, u: pick.input.value });
    } }, pick.wrap, h("button", { class: "secondary", type: "submit" }, t("orderer.assign"))), evArea);
  }
  // Reasons worded in the user's language from their codes; "not judged yet" is its own state.
  const qualifiedCell = (r) => qualification(r, anyUnjudged(c.criteria.capabilityRequirements, rowOf.get(r.bid.id)));
  // The comparison table, by rank: the call's, or each lot's at the bids' totals for its lines.
  if (!inLots) out.push(comparisonTable(ev.results, t("orderer.comparison"), qualifiedCell));
  for (const lot of c.lots) {
    const results = lot.evaluation?.results ?? [];
    out.push(h("h3", {}, t("lots.heading", { n: lot.number, title: lot.title })),
      results.length ? comparisonTable(results, t("lots.comparison", { n: lot.number, title: lot.title }), qualifiedCell) : h("p", {}, t("lots.noBids")),
      h("p", {}, h("a", { href: `#/orderer/calls/${c.id}/report?lot=${lot.number}`, "data-lot-report-link": String(lot.number) }, t("lots.reportLink", { n: lot.number }))));
  }
  // Per bid, in a stable order (bidder name, then submission) whatever the ranking does:
  // its unit prices, capability judgement and (for an assigned evaluator) scores, read back
  // from the API. Once awarded, only the unit prices.
  const stable = [...ev.results].sort((a, b) => a.bid.bidder.name.localeCompare(b.bid.bidder.name) || a.bid.submittedAt.localeCompare(b.bid.submittedAt));
  if (decided) {
    if (stable.length) out.push(h("h3", {}, t("orderer.unitPricesHeading")), stable.map((r) => linesOf(r.bid)));
    if (inLots) out.push(h("h2", {}, t("orderer.decision")), c.lots.map((lot) => lotDecision(c, lot, contracts, render)));
    return out;
  }
  const iEvaluate = assigned.has(me.id);
  out.push(h("p", { class: "hint" }, t("orderer.stableOrder")));
  for (const r of stable) {
    const b = r.bid;
    const row = rowOf.get(b.id);
    const jArea = formError();
    const done = h("p", { role: "status" });
    const reqs = c.criteria.capabilityRequirements.map((req) => {
      const saved = judgementState(row, req.id);
      const evidence = b.capabilityResponses.find((x) => x.requirement.id === req.id)?.evidence ?? "–";
      const name = `met-${b.id}-${req.id}`;
      const options = [["met", true, t("orderer.met")], ["notMet", false, t("orderer.notMet")]];
      // "Not judged" can be the saved state but cannot be chosen back once judged.
      if (saved === null) options.push(["unjudged", null, t("orderer.notJudged")]);
      const radios = options.map(([key, value, label]) => {
        const id = `${name}-${key}`;
        const input = h("input", { type: "radio", name, id, value: key, checked: saved === value });
        return { input, value, el: h("div", {}, input, " ", h("label", { for: id, class: "inline" }, label)) };
      });
      const current = () => radios.find((x) => x.input.checked)?.value ?? null;
      return { req, saved, current, el: h("fieldset", { class: "judgement" }, h("legend", {}, req.text),
        h("p", { class: "hint" }, t("orderer.evidence"), " ", evidence), radios.map((x) => x.el)) };
    });
    const judge = h("form", { class: "stack", novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      // Only what was changed is sent; the other requirements keep their judgement.
      const changed = reqs.filter((x) => x.current() !== null && x.current() !== x.saved);
      done.textContent = "";
      if (!changed.length) { done.textContent = t("orderer.nothingChanged"); return; }
      act(jArea, [], stayAt(render, b.id, "judgement"), "mutation($b: ID!, $j: [CapabilityJudgementInput!]!) { judgeCapability(bidId: $b, judgements: $j) { qualified } }",
        { b: b.id, j: changed.map((x) => ({ requirementId: x.req.id, met: x.current() })) });
    } },
    h("h4", {}, t("orderer.capabilityOf", { bidder: b.bidder.name })), reqs.map((x) => x.el),
    jArea, done, h("button", { class: "secondary", type: "submit", "data-save": "judgement" }, t("orderer.saveJudgement")),
    h("p", { role: "status", "data-saved": "judgement" }));
    const section = h("section", { class: "panel", "data-bid": b.id }, h("h3", {}, b.bidder.name),
      h("p", {}, t("orderer.qualified"), " ", qualifiedCell(r)), linesOf(b),
      documentList(attached.get(b.id), { title: t("documents.bidTitleOf", { bidder: b.bidder.name }), level: "h4" }), judge);
    if (iEvaluate) {
      const sArea = formError();
      const mine = (q) => row?.criteria.find((x) => x.criterion.id === q.id)?.scores.find((x) => x.evaluator.id === me.id)?.points;
      const points = c.criteria.qualityCriteria.map((q, i) => ({ q, f: field({ name: `scores[${i}].points`, label: t("orderer.points", { criterion: q.name, max: q.maxPoints }),
        type: "number", value: mine(q) === null || mine(q) === undefined ? "" : String(mine(q)), attrs: { min: "0", max: String(q.maxPoints) } }) }));
      const answers = c.criteria.qualityCriteria.map((q) => h("li", {}, `${q.name}: `, b.qualityResponses.find((x) => x.criterion.id === q.id)?.text ?? "–"));
      section.append(h("form", { class: "stack", novalidate: true, onsubmit: (e) => {
        e.preventDefault();
        act(sArea, points.map((p) => p.f), stayAt(render, b.id, "scores"), "mutation($b: ID!, $s: [ScoreInput!]!) { scoreBid(bidId: $b, scores: $s) { totalScore } }",
          { b: b.id, s: points.filter((p) => p.f.input.value !== "").map((p) => ({ criterionId: p.q.id, points: Number(p.f.input.value) })) });
      } }, h("ul", {}, answers), h("fieldset", {}, h("legend", {}, t("orderer.scoresFor", { bidder: b.bidder.name })), points.map((p) => p.f.wrap)),
      sArea, h("button", { class: "secondary", type: "submit", "data-save": "scores" }, t("orderer.saveScores")),
      h("p", { role: "status", "data-saved": "scores" })));
    }
    out.push(section);
  }
  // The award: only when a bid is qualified, the winner chosen by the officer; on a call in
  // lots, each lot's.
  out.push(h("h2", {}, t("orderer.decision")));
  if (inLots) out.push(c.lots.map((lot) => lotDecision(c, lot, contracts, render)));
  else out.push(...awardForm(c, null, ev.results, render));
  return out;
}

const CONTRACT = `query($id: ID!) {
  contract(id: $id) {
    id status procedure pricingModel startDate endDate version totalValue maxSubcontractingShare
    orderer { id name } producer { id name } call { id title }
    signatures { organization { id name } signedBy { name email } signedAt }
    lines { product { id code name unit } quantity unitPrice lineTotal }
    amendments { version reason valueDelta createdAt lines { product { code name } quantity unitPrice lineTotal } }
    reports { period lines { product { id } quantity cost } feedbackCount feedbackAverage qualityMeasurements { metric value } }
    realization { contractedValue deliveredValue percent forecastValue status }
    documents { ${DOC_FIELDS} }
  }
}`;

const DAY = 86_400_000;
const days = (from, to) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1);

/** The contract's value falling in each year, in exact cents: value x (days in the year /
 *  days), rounded half up, the last year taking the remainder (as the API commits it). */
export function valueByYear(totalValue, startIso, endIso) {
  const cents = round(parse(totalValue), 2).units;
  const total = BigInt(days(startIso, endIso));
  const out = [];
  if (total === 0n) return out;
  const [sy, ey] = [Number(startIso.slice(0, 4)), Number(endIso.slice(0, 4))];
  let allocated = 0n;
  for (let y = sy; y <= ey; y += 1) {
    const from = y === sy ? startIso : `${y}-01-01`;
    const to = y === ey ? endIso : `${y}-12-31`;
    const n = BigInt(days(from, to));
    const sign = cents < 0n ? -1n : 1n;
    const share = y === ey ? cents - allocated : sign * ((sign * cents * n * 2n + total) / (2n * total));
    allocated += share;
    out.push({ year: y, value: toPlain({ units: share, scale: 2 }) });
  }
  return out;
}

/** The activation button with the value per year beside the appropriation still free in
 *  that year, and the confirmation that repeats them. */
async function activation(k, area, render) {
  const years = valueByYear(k.totalValue, k.startDate, k.endDate);
  const free = await Promise.all(years.map(({ year }) => gql("query($y: Int!) { appropriations(fiscalYear: $y) { orderer { id } available } }", { y: year })
    .then((d) => d.appropriations.find((a) => a.orderer.id === k.orderer.id)?.available ?? null).catch(() => null)));
  const rows = years.map((y, i) => ({ ...y, available: free[i] }));
  const table = h("table", {}, h("caption", {}, t("contract.byYear")),
    h("thead", {}, h("tr", {}, ...["contract.year", "contract.yearValue", "contract.available"].map((x) => h("th", { scope: "col", class: x === "contract.year" ? null : "num" }, t(x))))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, String(r.year)), h("td", { class: "num" }, moneyNode(r.value)),
      h("td", { class: "num" }, r.available === null ? t("contract.noAppropriation") : moneyNode(r.available))))));
  const summaryText = (r) => `${money(r.value)} · ${t("contract.available")} ${r.available === null ? t("contract.noAppropriation") : money(r.available)}`;
  return h("div", { class: "stack" }, table, h("button", { class: "primary", type: "button", onclick: async () => {
    const sure = await confirmDialog({ title: t("contract.confirmActivate"), confirm: t("contract.activate"),
      summary: [[t("contract.producer"), k.producer.name], [t("contract.totalValue"), money(k.totalValue)], ...rows.map((r) => [String(r.year), summaryText(r)])] });
    if (sure) await act(area, [], render, "mutation($id: ID!) { activateContract(id: $id) { id } }", { id: k.id });
  } }, t("contract.activate")));
}

/** The parties' signatures: who signed for each organisation and when, and for a user of a
 *  party that has not signed a DRAFT, the button that signs it after a confirmation. */
function signatures(k, s, area, render) {
  const by = new Map(k.signatures.map((g) => [g.organization.id, g]));
  const mine = s.user.organization.id;
  const party = mine === k.orderer.id || mine === k.producer.id;
  const row = (org, role) => {
    const g = by.get(org.id);
    return h("tr", {}, h("th", { scope: "row" }, `${t(role)}: ${org.name}`),
      h("td", {}, g ? t("contract.signedBy", { name: g.signedBy.name, at: dateTime(g.signedAt) }) : t("contract.notSigned")));
  };
  return h("section", { class: "stack", "aria-labelledby": "signatures-title" },
    h("h2", { id: "signatures-title" }, t("contract.signatures")),
    h("table", {}, h("tbody", {}, row(k.orderer, "contract.ordererParty"), row(k.producer, "contract.producerParty"))),
    k.status === "DRAFT" && party && !by.has(mine) ? h("button", { class: "primary", type: "button", onclick: async () => {
      const sure = await confirmDialog({ title: t("contract.confirmSign"), confirm: t("contract.sign"),
        summary: [[t("contract.producer"), k.producer.name], [t("contract.totalValue"), money(k.totalValue)], [t("contract.period"), `${date(k.startDate)} – ${date(k.endDate)}`]] });
      if (sure) await act(area, [], render, "mutation($id: ID!) { signContract(id: $id) { id } }", { id: k.id });
    } }, t("contract.sign")) : null,
    k.status === "DRAFT" && by.size < 2 ? h("p", {}, t("contract.activationNeedsBoth")) : null);
}

function monthsBetween(startIso, endIso) {
  const [sy, sm] = startIso.split("-").map(Number);
  const [ey, em] = endIso.split("-").map(Number);
  const out = [];
  for (let y = sy, m = sm; y < ey || (y === ey && m <= em); m === 12 ? (y += 1, m = 1) : (m += 1)) out.push(`${y}-${String(m).padStart(2, "0")}`);
  return out;
}

/** Cumulative delivered value (reported quantity x contract unit price) against the
 *  straight-line expected value, month by month. Values are exact; only the drawing scales
 *  them to pixels. */
export function realizationSeries(contract) {
  const months = monthsBetween(contract.startDate, contract.endDate);
  const price = new Map(contract.lines.map((l) => [l.product.id, parse(l.unitPrice)]));
  const byMonth = new Map(contract.reports.map((r) => [r.period, r]));
  let delivered = parse("0");
  return months.map((period, i) => {
    const r = byMonth.get(period);
    if (r) for (const l of r.lines) delivered = add(delivered, mul(parse(l.quantity), price.get(l.product.id) ?? parse("0")));
    // total x (i + 1) / months, in cents, rounded half up.
    const total = round(parse(contract.totalValue), 2);
    const n = BigInt(months.length);
    const cents = (total.units * BigInt(i + 1) * 2n + n) / (2n * n);
    return { period, reported: Boolean(r), delivered: toPlain(round(delivered, 2)), expected: toPlain({ units: cents, scale: 2 }) };
  });
}

function chart(series) {
  const W = 640, H = 280, L = 70, B = 56, T = 20;
  // Floats only place the points; the axis label is the largest amount's exact string.
  const amounts = series.flatMap((p) => [p.delivered, p.expected]);
  const top = amounts.reduce((a, b) => (Number(b) > Number(a) ? b : a), "0");
  const max = Math.max(1, Number(top));
  const x = (i) => L + (i * (W - L - 30)) / Math.max(1, series.length - 1);
  const y = (v) => H - B - (Number(v) / max) * (H - B - T);
  const line = (key) => series.filter((p) => key === "expected" || p.reported).map((p) => `${x(series.indexOf(p))},${y(p[key])}`).join(" ");
  return svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "chart-title" },
    svg("title", { id: "chart-title" }, t("contract.chartTitle")),
    svg("line", { x1: L, y1: H - B, x2: W - 10, y2: H - B, stroke: "#4a5360" }),
    svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#4a5360" }),
    svg("text", { x: 4, y: T + 4 }, money(top)),
    svg("polyline", { points: line("expected"), fill: "none", stroke: "#4a5360", "stroke-dasharray": "6 4", "stroke-width": 2 }),
    svg("polyline", { points: line("delivered"), fill: "none", stroke: "#0b4f8a", "stroke-width": 3 }),
    // Months in words, the year beneath the first month and every January; when the
    // months are many, every n-th, so the labels never overlap.
    ...series.flatMap((p, i) => {
      if (i % Math.ceil(series.length / 12) !== 0) return [];
      const label = svg("text", { x: x(i), y: H - B + 16, "text-anchor": "middle" }, monthShort(p.period));
      const year = i === 0 || p.period.endsWith("-01") ? [svg("text", { x: x(i), y: H - B + 31, "text-anchor": "middle" }, p.period.slice(0, 4))] : [];
      return [label, ...year];
    }),
    svg("text", { x: L, y: H - 4 }, `— ${t("contract.delivered")}   - - ${t("contract.expected")}`));
}

/** A contract's documents, and for a user of either party the form that attaches more (a
 *  signed copy, an annex, a report): both parties and admins read them, nobody else. */
function contractDocuments(k, s, render) {
  const party = [k.orderer.id, k.producer.id].includes(s.user.organization.id);
  const list = documentList(k.documents, { title: t("documents.contractTitle"), empty: t("documents.none"), intro: t("documents.contractIntro") });
  if (!party) return list;
  const picker = documentPicker({ label: t("documents.contractPick") });
  const area = formError();
  const done = h("p", { role: "status" });
  const form = h("form", { class: "stack panel", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors([picker], area);
    if (!picker.ids().length) {
      area.replaceChildren(h("p", {}, t("documents.noneChosen")));
      area.focus();
      return;
    }
    try {
      // One mutation per document: each attached one leaves the picker at once, so a retry
      // after a failure sends only the rest.
      for (const id of picker.ids()) {
        await gql("mutation($k: ID!, $d: ID!) { attachContractDocument(contractId: $k, documentId: $d) { id } }", { k: k.id, d: id });
        picker.forget(id);
      }
      await render();
      const status = document.querySelector("[data-contract-documents-saved]");
      if (status) status.textContent = t("documents.attached");
    } catch (err) {
      showErrors(err, [picker], area);
    }
  } }, picker.wrap, area, h("button", { class: "secondary", type: "submit" }, t("documents.attach")), done);
  done.setAttribute("data-contract-documents-saved", "");
  return h("div", {}, list, form);
}

export async function contract({ args, render }) {
  if (!session()) return h("section", {}, h("h1", {}, t("contract.title")), h("p", {}, h("a", { href: `#/login?next=/contracts/${args[0]}` }, t("nav.login"))));
  const d = await gql(CONTRACT, { id: args[0] });
  const k = d.contract;
  if (!k) return h("section", {}, h("h1", {}, t("page.notFound")));
  const s = session();
  const series = realizationSeries(k);
  const area = formError();
  const lineTable = (lines) => h("table", {}, h("thead", {}, h("tr", {}, ...["call.product", "call.quantity", "contract.unitPrice", "contract.lineTotal"]
    .map((x) => h("th", { scope: "col", class: x === "call.product" ? null : "num" }, t(x))))),
  h("tbody", {}, lines.map((l) => h("tr", {}, h("td", {}, `${l.product.code} ${l.product.name}`), h("td", { class: "num" }, number(l.quantity)),
    h("td", { class: "num" }, money(l.unitPrice)), h("td", { class: "num" }, moneyNode(l.lineTotal))))));
  return h("article", {},
    h("h1", {}, t("contract.heading", { producer: k.producer.name })),
    h("p", {}, t(`contractStatus.${k.status}`), " · ", t("contract.version", { version: k.version }), " · ", `${date(k.startDate)} – ${date(k.endDate)}`,
      k.call ? h("span", {}, " · ", h("a", { href: `#/calls/${k.call.id}` }, k.call.title)) : null),
    area,
    signatures(k, s, area, render),
    k.status === "DRAFT" && s.user.organization.id === k.orderer.id && k.signatures.length === 2 ? await activation(k, area, render) : null,
    (k.status === "DRAFT" || k.status === "ACTIVE") && s.user.organization.id === k.orderer.id ? h("p", {}, h("a", { href: `#/contracts/${k.id}/amend` }, t("work.amendLink"))) : null,
    h("h2", {}, t("contract.lines")), lineTable(k.lines),
    h("p", {}, t("contract.totalValue"), " ", h("strong", {}, moneyNode(k.totalValue))),
    contractDocuments(k, s, render),
    h("h2", {}, t("contract.versions")),
    k.amendments.length ? h("ul", { class: "cards" }, k.amendments.map((a) => h("li", {},
      h("p", {}, h("strong", {}, t("contract.version", { version: a.version })), ` · ${dateTime(a.createdAt)} · ${t("contract.valueDelta")} `, moneyDeltaNode(a.valueDelta)),
      h("p", {}, a.reason), lineTable(a.lines)))) : h("p", {}, t("contract.noAmendments")),
    k.call && k.amendments.length ? h("section", { "data-notices": "" }, h("h3", {}, t("eforms.title")), h("p", { class: "hint" }, t("eforms.modificationHint")),
      h("ul", {}, noticeButton({ kind: "CONTRACT_MODIFICATION_NOTICE", contractId: k.id, file: `${k.id}-v${k.version}-modification-notice.xml`,
        label: t("eforms.modification", { version: k.amendments.at(-1).version }) }))) : null,
    h("h2", {}, t("contract.realization")),
    h("p", { "data-realization": "" }, tNodes("contract.realizationText", { delivered: moneyNode(k.realization.deliveredValue), percent: number(k.realization.percent),
      forecast: moneyNode(k.realization.forecastValue), status: t(`realization.${k.realization.status}`) })),
    chart(series),
    h("table", {}, h("caption", {}, t("contract.byMonth")),
      h("thead", {}, h("tr", {}, ...["contract.month", "contract.delivered", "contract.expected"].map((x) => h("th", { scope: "col", class: x === "contract.month" ? null : "num" }, t(x))))),
      h("tbody", {}, series.map((p) => h("tr", {}, h("td", {}, month(p.period)), h("td", { class: "num" }, p.reported ? moneyNode(p.delivered) : "–"), h("td", { class: "num" }, moneyNode(p.expected)))))),
    h("h2", {}, t("contract.reports")),
    k.reports.length ? h("table", {}, h("thead", {}, h("tr", {}, ...["contract.month", "contract.cost", "contract.feedback"].map((x) => h("th", { scope: "col" }, t(x))))),
      h("tbody", {}, k.reports.map((r) => h("tr", {}, h("td", {}, month(r.period)),
        h("td", {}, moneyNode(toPlain(r.lines.reduce((acc, l) => add(acc, parse(l.cost)), parse("0"))))),
        h("td", {}, r.feedbackAverage ? `${number(r.feedbackAverage)} (${r.feedbackCount})` : "–")))))
      : h("p", {}, t("contract.noReports")));
}
