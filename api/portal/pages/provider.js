// Provider pages: asking a question, the bid form (submit, replace, withdraw) with the total
// computed as you type, the receipt with its recomputation, and "my bids".
import { gql, session } from "../api.js";
import { h } from "../dom.js";
import { t, money, moneyNode, number, numberInput, ratioToPercent, dateTime, readNumber, ruleText } from "../i18n.js";
import { field, formError, showErrors, clearErrors, setFieldError, check, problemOf, valueOf } from "../forms.js";
import { parse, mul, add, round, toPlain, fromInput } from "../decimal.js";
import { confirmDialog } from "./public.js";
import { DOC_FIELDS, documentList, documentPicker } from "../documents.js";

export function askForm(c, render) {
  const text = field({ name: "text", label: t("question.text"), type: "textarea", required: true, maxLength: 2000 });
  const area = formError();
  const done = h("p", { role: "status", "data-question-sent": "" });
  return h("form", { class: "stack panel", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!check([text], area)) return;
    try {
      await gql("mutation($c: ID!, $t: String!) { askQuestion(callId: $c, text: $t) { id } }", { c: c.id, t: text.input.value });
      text.input.value = "";
      // The list above shows the new question at once; the message is kept after it.
      await render();
      const status = document.querySelector("[data-question-sent]");
      if (status) status.textContent = t("question.sent");
    } catch (err) {
      showErrors(err, [text], area);
    }
  } }, h("h2", {}, t("question.title")), h("p", { class: "hint" }, t("question.hint")), text.wrap, area,
  h("button", { class: "secondary", type: "submit" }, t("question.send")), done);
}

const BID_FIELDS = `id version status totalPrice receipt submittedAt inHouse annualTurnover equityRatio creditRating subcontractingShare callVersion current
  bidder { id } call { id }
  lines { callLine { id quantity } unitPrice lineTotal }
  lots { id number title }
  capabilityResponses { requirement { id } evidence }
  qualityResponses { criterion { id } text }
  documents { ${DOC_FIELDS} }`;

/** The receipt as DESIGN.md and the README define it, recomputed here from the API's answer:
 *  a bid with documents has their SHA-256, sorted, under "documents" (none: no such key). */
export function canonical(b) {
  const byKey = (k) => (x, y) => (x[k] < y[k] ? -1 : x[k] > y[k] ? 1 : 0);
  const documents = (b.documents ?? []).map((d) => d.sha256).sort();
  return JSON.stringify({
    annualTurnover: b.annualTurnover, bidderId: b.bidder.id, callId: b.call.id,
    capabilityResponses: b.capabilityResponses.map((r) => ({ evidence: r.evidence, requirementId: r.requirement.id })).sort(byKey("requirementId")),
    creditRating: b.creditRating, ...(documents.length ? { documents } : {}), equityRatio: b.equityRatio,
    lines: b.lines.map((l) => ({ callLineId: l.callLine.id, unitPrice: l.unitPrice })).sort(byKey("callLineId")),
    // On a call in lots, the numbers of the lots the bid covers (none: no such key).
    ...(b.lots?.length ? { lots: b.lots.map((l) => l.number).sort((x, y) => x - y) } : {}),
    qualityResponses: b.qualityResponses.map((r) => ({ criterionId: r.criterion.id, text: r.text })).sort(byKey("criterionId")),
    subcontractingShare: b.subcontractingShare, submittedAt: b.submittedAt, version: b.version,
  });
}

async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** The receipt as a file: the bid's figures, the receipt and the exact text it is the hash of. */
function receiptFile(b, text) {
  return JSON.stringify({ callId: b.call.id, version: b.version, submittedAt: b.submittedAt, totalPrice: b.totalPrice,
    receipt: b.receipt, algorithm: "SHA-256 of the UTF-8 bytes of canonical", canonical: text }, null, 2);
}

// The bid just accepted in this tab: the page after it says so and brings its receipt to view.
let justSaved = null;

async function receiptPanel(b) {
  const text = canonical(b);
  const recomputed = globalThis.crypto?.subtle ? await sha256(text) : null;
  const saved = justSaved && justSaved.callId === b.call.id && justSaved.version === b.version;
  if (saved) justSaved = null;
  const fileName = `${t("bid.receiptFile")}-${b.call.id}-v${b.version}.json`;
  const url = URL.createObjectURL(new Blob([receiptFile(b, text)], { type: "application/json" }));
  const download = h("a", { class: "button-link", download: fileName, href: url }, t("bid.download"));
  const print = h("button", { class: "secondary", type: "button", onclick: () => {
    document.body.classList.add("print-receipt");
    window.addEventListener("afterprint", () => document.body.classList.remove("print-receipt"), { once: true });
    window.print();
  } }, t("bid.print"));
  return h("section", { id: "receipt", class: "panel receipt-panel", tabindex: "-1", "aria-labelledby": "receipt-title" },
    saved ? h("p", { class: "ok", role: "status" }, t("bid.saved", { version: b.version })) : null,
    h("h3", { id: "receipt-title" }, t("bid.receiptTitle", { version: b.version })),
    h("p", {}, t("bid.receivedAt", { at: dateTime(b.submittedAt) })),
    h("p", {}, t("bid.total"), " ", h("strong", {}, moneyNode(b.totalPrice))),
    b.lots?.length ? h("p", { "data-bid-lots": "" }, t("lots.covers", { lots: b.lots.map((l) => t("lots.heading", { n: l.number, title: l.title })).join("; ") })) : null,
    h("p", {}, t("bid.receipt"), " ", h("code", { class: "receipt", "data-receipt": b.receipt }, b.receipt)),
    recomputed ? h("p", { class: recomputed === b.receipt ? "ok" : "error" },
      recomputed === b.receipt ? t("bid.receiptVerified") : t("bid.receiptMismatch")) : null,
    documentList(b.documents, { title: t("documents.bidTitle"), level: "h4", intro: t("documents.bidIntro") }),
    h("div", { class: "row no-print" }, print, download),
    h("details", {}, h("summary", {}, t("bid.howToRecompute")),
      h("p", {}, t("bid.recomputeText")),
      h("pre", { class: "receipt" }, text)));
}

function draftKey(callId) {
  return `kilpailutus.draft.${callId}`;
}

/** The caller's bid on a call: the form while bidding is open, the receipt, withdrawal. */
export async function bidPanel(c, render) {
  const d = await gql(`query($id: ID!) { call(id: $id) { myBid { ${BID_FIELDS} } } }`, { id: c.id });
  const mine = d.call?.myBid;
  // The server decides whether bidding is open (its clock, its status), not the browser.
  const open = c.status === "PUBLISHED";
  const section = h("section", { "aria-labelledby": "bid-title" }, h("h2", { id: "bid-title" }, t("bid.title")));
  if (mine && mine.status === "SUBMITTED" && !mine.current) {
    section.append(h("p", { class: "panel", "data-bid-not-current": "" }, h("strong", {}, t("bid.notCurrent", { version: mine.callVersion }))));
  }
  if (mine && mine.status === "SUBMITTED") section.append(await receiptPanel(mine));
  if (mine && mine.status === "WITHDRAWN") section.append(h("p", {}, t("bid.withdrawn")));
  if (!open) {
    if (!mine) section.append(h("p", {}, t("bid.closed")));
    return section;
  }
  const saved = JSON.parse(sessionStorage.getItem(draftKey(c.id)) || "null");
  const prev = (key, fallback) => saved?.[key] ?? fallback;
  // Figures from the API come back in the user's format ("1200000" -> "1 200 000"; ratios as "35").
  const shownNumber = (v) => (v == null ? "" : numberInput(v));
  const shownPercent = (v) => (v == null ? "" : numberInput(ratioToPercent(v)));
  const priceOf = (lineId) => shownNumber(mine?.lines.find((l) => l.callLine.id === lineId)?.unitPrice);
  // On a call in lots the provider chooses the lots it bids for (those of its standing bid at
  // first) and prices every line of each; the lines of other lots are neither shown nor sent.
  const lotOf = new Map(c.lots.flatMap((lot) => lot.lines.map((l) => [l.id, lot])));
  const lotChoices = c.lots.map((lot) => {
    const id = `bid-lot-${lot.id}`;
    const input = h("input", { type: "checkbox", id, name: "lots", value: lot.id,
      checked: prev(`lot.${lot.id}`, Boolean(mine?.lots?.some((x) => x.id === lot.id))) });
    return { lot, input, el: h("div", {}, input, " ", h("label", { for: id, class: "inline" }, t("lots.bidFor", { n: lot.number, title: lot.title }))) };
  });
  const chosen = (lot) => lotChoices.find((x) => x.lot.id === lot.id)?.input.checked ?? false;
  const lineFields = c.lines.map((l, i) => {
    const lot = lotOf.get(l.id);
    const product = `${l.product.code} ${l.product.name}`;
    const label = lot ? t("lots.unitPrice", { lot: lot.number, product, quantity: number(l.quantity), unit: l.product.unit })
      : t("bid.unitPrice", { product, quantity: number(l.quantity), unit: l.product.unit });
    return {
      line: l,
      lot,
      f: field({ name: `lines[${i}].unitPrice`, label,
        value: prev(`line.${l.id}`, priceOf(l.id)), required: true, as: "decimal", min: "0", maxDecimals: 4, attrs: { inputmode: "decimal", autocomplete: "off" } }),
      out: h("output", { "aria-live": "off" }),
    };
  });
  // The lines the bid prices: every line, or on a call in lots those of the chosen lots.
  const pricedLines = () => lineFields.filter((x) => !x.lot || chosen(x.lot));
  const turnover = field({ name: "annualTurnover", label: t("bid.annualTurnover"), value: prev("annualTurnover", shownNumber(mine?.annualTurnover)), required: true,
    as: "money", min: "0", attrs: { inputmode: "decimal" } });
  const equity = field({ name: "equityRatio", label: t("bid.equityRatioPercent"), hint: t("bid.percentHint"), value: prev("equityRatio", shownPercent(mine?.equityRatio)), required: true,
    as: "percent", min: "0", max: "1", attrs: { inputmode: "decimal" } });
  // No rating is chosen for the bidder: it is an explicit choice.
  const rating = field({ name: "creditRating", label: t("bid.creditRating"), type: "select", value: prev("creditRating", mine?.creditRating ?? ""), required: true,
    options: [["", t("bid.chooseRating")], ...["AAA", "AA", "A", "B", "C"].map((r) => [r, r])] });
  const cap = c.criteria?.maxSubcontractingShare;
  const sub = field({ name: "subcontractingShare", label: t("bid.subcontractingSharePercent"), hint: t("bid.percentHint"), value: prev("subcontractingShare", shownPercent(mine?.subcontractingShare ?? "0")),
    as: "percent", min: "0", max: cap ?? "1", attrs: { inputmode: "decimal" } });
  const caps = c.criteria.capabilityRequirements.map((r, i) => ({ id: r.id, f: field({ name: `capabilityResponses[${i}].evidence`, label: t("bid.evidence", { requirement: r.text }), type: "textarea",
    value: prev(`cap.${r.id}`, mine?.capabilityResponses.find((x) => x.requirement.id === r.id)?.evidence ?? ""), required: true, maxLength: 20000 }) }));
  const quals = c.criteria.qualityCriteria.map((q, i) => ({ id: q.id, f: field({ name: `qualityResponses[${i}].text`, label: t("bid.qualityText", { criterion: q.name }), type: "textarea",
    value: prev(`qual.${q.id}`, mine?.qualityResponses.find((x) => x.criterion.id === q.id)?.text ?? ""), maxLength: 20000 }) }));
  // Attachments: a new submission names them again (the standing or withdrawn version's are
  // kept unless removed).
  const attachments = documentPicker({ label: t("documents.bidPick"),
    initial: saved?.documents ?? mine?.documents ?? [], onchange: () => saveDraft() });
  const total = h("output", { id: "bid-total", "aria-live": "polite" });
  const otherFields = [turnover, equity, rating, sub, ...caps.map((x) => x.f), ...quals.map((x) => x.f)];
  // Named by their place among the lines sent, so that the API's errors find them.
  const fieldsNow = () => {
    const priced = pricedLines();
    priced.forEach((x, k) => { x.f.name = `lines[${k}].unitPrice`; });
    return [...priced.map((x) => x.f), ...otherFields];
  };
  let fields = fieldsNow();
  const area = formError();

  // The total as prices are typed; a price the API would refuse (negative, more than four
  // decimals, not a number) is marked at once and leaves the total open.
  const recompute = () => {
    let sum = parse("0");
    let complete = true;
    const priced = pricedLines();
    for (const x of lineFields) {
      const lotPart = x.out.closest("[data-lot-prices]");
      if (lotPart) lotPart.hidden = !chosen(x.lot);
    }
    for (const { line, f, out } of priced) {
      const problem = f.input.value.trim() ? problemOf(f) : null;
      const price = problem ? null : readNumber(f.input.value);
      setFieldError(f, problem ? ruleText(problem.rule, problem.params) : null);
      if (price === null) {
        complete = false;
        out.textContent = "";
        continue;
      }
      const lineTotal = round(mul(parse(line.quantity), parse(price)), 2);
      out.textContent = t("bid.lineTotal", { total: money(toPlain(lineTotal)) });
      sum = add(sum, lineTotal);
    }
    total.textContent = !priced.length ? t("lots.totalNone") : complete ? money(toPlain(round(sum, 2))) : t("bid.totalIncomplete");
  };
  const saveDraft = () => {
    const draft = { annualTurnover: turnover.input.value, equityRatio: equity.input.value, creditRating: rating.input.value, subcontractingShare: sub.input.value };
    for (const { line, f } of lineFields) draft[`line.${line.id}`] = f.input.value;
    for (const { lot, input } of lotChoices) draft[`lot.${lot.id}`] = input.checked;
    for (const { id, f } of caps) draft[`cap.${id}`] = f.input.value;
    for (const { id, f } of quals) draft[`qual.${id}`] = f.input.value;
    draft.documents = attachments.docs();
    sessionStorage.setItem(draftKey(c.id), JSON.stringify(draft));
  };
  const form = h("form", { class: "stack", novalidate: true, oninput: () => { recompute(); saveDraft(); }, onsubmit: async (e) => {
    e.preventDefault();
    saveDraft();
    fields = fieldsNow();
    // Every problem the browser can see is shown at once, beside its field; nothing is sent.
    const fine = check(fields, area);
    if (lotChoices.length && !lotChoices.some((x) => x.input.checked)) {
      area.append(h("p", {}, t("lots.chooseOne")));
      if (fine) lotChoices[0].input.focus();
      return;
    }
    if (!fine) return;
    const input = {
      callId: c.id,
      lines: pricedLines().map(({ line, f }) => ({ callLineId: line.id, unitPrice: valueOf(f) })),
      annualTurnover: valueOf(turnover), equityRatio: valueOf(equity), creditRating: rating.input.value,
      subcontractingShare: valueOf(sub) || "0",
      capabilityResponses: caps.map(({ id, f }) => ({ requirementId: id, evidence: f.input.value })),
      qualityResponses: quals.filter(({ f }) => f.input.value.trim()).map(({ id, f }) => ({ criterionId: id, text: f.input.value })),
      documentIds: attachments.ids(),
    };
    try {
      const d = await gql(`mutation($i: SubmitBidInput!) { submitBid(input: $i) { id version } }`, { i: input });
      sessionStorage.removeItem(draftKey(c.id));
      justSaved = { callId: c.id, version: d.submitBid.version };
      await render();
      // The page is drawn again: the receipt, with its message, is brought into view.
      const receipt = document.getElementById("receipt");
      if (receipt) {
        receipt.scrollIntoView({ block: "start" });
        receipt.focus({ preventScroll: true });
      }
    } catch (err) {
      showErrors(err, [...fields, attachments], area); // the draft stays: nothing typed is lost
    }
  } },
  lotChoices.length
    ? h("fieldset", { "data-lot-choice": "" }, h("legend", {}, t("bid.prices")), h("p", { class: "hint" }, t("lots.chooseHint")),
      lotChoices.map(({ lot, el }) => h("div", { class: "panel" }, el,
        h("div", { "data-lot-prices": lot.id }, h("div", { class: "stack" }, lineFields.filter((x) => x.lot?.id === lot.id).map(({ f, out }) => h("div", {}, f.wrap, out)))))))
    : h("fieldset", {}, h("legend", {}, t("bid.prices")), lineFields.map(({ f, out }) => h("div", {}, f.wrap, out))),
  h("p", {}, t("bid.total"), " ", h("strong", {}, total)),
  h("fieldset", {}, h("legend", {}, t("bid.financials")), turnover.wrap, equity.wrap, rating.wrap, sub.wrap),
  caps.length ? h("fieldset", {}, h("legend", {}, t("bid.capability")), caps.map((x) => x.f.wrap)) : null,
  quals.length ? h("fieldset", {}, h("legend", {}, t("bid.quality")), quals.map((x) => x.f.wrap)) : null,
  h("fieldset", {}, h("legend", {}, t("documents.bidTitle")), attachments.wrap),
  area,
  h("div", { class: "row" },
    h("button", { class: "primary", type: "submit" }, mine?.status === "SUBMITTED" ? t("bid.replace") : t("bid.submit")),
    mine?.status === "SUBMITTED" ? h("button", { class: "danger", type: "button", onclick: async () => {
      const sure = await confirmDialog({ title: t("bid.withdraw"), intro: t("bid.withdrawConfirm"), confirm: t("bid.withdraw"),
        summary: [[t("calls.call"), c.title], [t("bid.total"), money(mine.totalPrice)], [t("bid.version"), String(mine.version)]] });
      if (!sure) return;
      try {
        await gql("mutation($c: ID!) { withdrawBid(callId: $c) { id } }", { c: c.id });
        await render();
      } catch (err) {
        showErrors(err, fields, area);
      }
    } }, t("bid.withdraw")) : null));
  recompute();
  section.append(h("p", { class: "hint" }, t("bid.deadlineNote", { at: dateTime(c.submissionDeadline) })), form);
  return section;
}

// "My bids" reads the bids' calls with their rankings in one question (the portal's most
// costly: the API prices a question by the size of its answer, every list counted full), so
// the lots the bids cover are read apart, and the lots' rankings of the calls in lots apart
// again, a few calls in each question.
const MY_BID_LOTS = "{ myBids(first: 100) { id lots { number } } }";
const CALLS_PER_QUESTION = 12;

/** The lots' public rankings of the given calls, by call id (each call's lots by number). */
async function lotRankings(callIds) {
  const out = new Map();
  for (let i = 0; i < callIds.length; i += CALLS_PER_QUESTION) {
    const part = callIds.slice(i, i + CALLS_PER_QUESTION);
    const vars = Object.fromEntries(part.map((id, k) => [`c${k}`, id]));
    const query = `query(${part.map((_, k) => `$c${k}: ID!`).join(", ")}) {
      ${part.map((_, k) => `c${k}: call(id: $c${k}) { id lots { number award { ranking { rank bidder { id } totalScore } } } }`).join("\n")} }`;
    const d = await gql(query, vars);
    for (const c of Object.values(d)) if (c) out.set(c.id, new Map(c.lots.map((l) => [l.number, l.award])));
  }
  return out;
}

export async function myBids() {
  if (!session()) return h("section", {}, h("h1", {}, t("nav.myBids")), h("p", {}, h("a", { href: "#/login?next=/my-bids" }, t("nav.login"))));
  const d = await gql(`{ myBids(first: 100) { id version status totalPrice submittedAt bidder { id }
    call { id title status submissionDeadline award { ranking { rank bidder { id } totalScore } } } } }`);
  // On a call in lots: the lots each bid covers, and each awarded lot's ranking. If they cannot
  // be read the page stands, with "–" for those calls.
  const lotsOf = await gql(MY_BID_LOTS).then((x) => new Map(x.myBids.map((b) => [b.id, b.lots.map((l) => l.number)]))).catch(() => new Map());
  const inLots = [...new Set(d.myBids.filter((b) => lotsOf.get(b.id)?.length).map((b) => b.call.id))];
  const rankings = inLots.length ? await lotRankings(inLots).catch(() => new Map()) : new Map();
  // Per lot the bid covers: "Lot 1: 2" (its rank in the lot's award), or the lot alone before
  // (or without) an award in which it is ranked.
  const perLot = (b, pick) => {
    const numbers = lotsOf.get(b.id) ?? [];
    return h("ul", { class: "lot-list", "data-bid-lots": b.id }, numbers.map((n) => {
      const entry = rankings.get(b.call.id)?.get(n)?.ranking.find((r) => r.bidder.id === b.bidder.id);
      return h("li", { "data-lot": String(n) }, entry ? t("myBids.inLot", { n, value: pick(entry) }) : t("lots.lot", { n }));
    }));
  };
  const rows = d.myBids.map((b) => {
    const entry = b.call.award?.ranking.find((r) => r.bidder.id === b.bidder.id);
    const lots = lotsOf.get(b.id)?.length > 0;
    return h("tr", {},
      h("td", {}, h("a", { href: `#/calls/${b.call.id}` }, b.call.title)),
      h("td", {}, t(`status.${b.call.status}`)),
      h("td", {}, t(`bidStatus.${b.status}`), ` (v${b.version})`),
      h("td", { class: "num" }, moneyNode(b.totalPrice)),
      h("td", {}, dateTime(b.submittedAt)),
      h("td", { class: "num" }, lots ? perLot(b, (e) => String(e.rank)) : entry ? String(entry.rank) : "–"),
      h("td", { class: "num" }, lots ? perLot(b, (e) => number(e.totalScore)) : entry ? number(entry.totalScore) : "–"));
  });
  return h("section", {}, h("h1", {}, t("nav.myBids")),
    rows.length ? h("table", {}, h("thead", {}, h("tr", {}, ...["myBids.call", "myBids.callStatus", "myBids.bid", "myBids.total", "myBids.submitted", "myBids.rank", "myBids.score"]
      .map((k) => h("th", { scope: "col", class: k === "myBids.total" || k === "myBids.rank" || k === "myBids.score" ? "num" : null }, t(k))))), h("tbody", {}, rows))
      : h("p", {}, t("myBids.none")));
}
