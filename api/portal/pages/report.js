// The evaluation report for the minutes (#/orderer/calls/<id>/report): the document attached
// to the board's decision, printable. Also the pieces the orderer's call page shares with it:
// a bid's unit prices per line (read only once the bids are opened) and its qualification.
import { gql, session } from "../api.js";
import { h } from "../dom.js";
import { t, money, moneyNode, number, percent, dateTime, date, reasonText } from "../i18n.js";
import { table, needLogin } from "./kit.js";
import { statusBadge } from "./public.js";

const LINES = `query($id: ID!) {
  call(id: $id) { bids { id lines { callLine { product { code name unit } quantity } unitPrice lineTotal } } }
}`;

/**
 * The bids' lines by bid id, once the bids are opened (the API keeps them sealed before:
 * it then gives no bids). Asked apart from the page's own query, so that an error here
 * leaves the page standing: null then, and the page says the prices could not be loaded.
 */
export async function bidLines(callId) {
  try {
    const d = await gql(LINES, { id: callId });
    return new Map((d.call?.bids ?? []).map((b) => [b.id, b.lines]));
  } catch {
    return null;
  }
}

/** A bid's lines as a table: product, quantity, unit price (every digit), line total. */
export function linesTable(lines, caption) {
  if (lines === null) return h("p", { class: "hint" }, t("report.linesUnavailable"));
  if (!lines?.length) return h("p", { class: "hint" }, t("report.noLines"));
  return table({
    caption,
    columns: [[t("call.product")], [t("call.quantity"), { num: true }], [t("contract.unitPrice"), { num: true }], [t("contract.lineTotal"), { num: true }]],
    rows: lines.map((l) => [`${l.callLine.product.code} ${l.callLine.product.name}`, `${number(l.callLine.quantity)} ${l.callLine.product.unit}`,
      money(l.unitPrice), moneyNode(l.lineTotal)]),
  });
}

/** The lines of one bid, folded: `<details>` with the unit prices. */
export function linesDetails(bidder, lines) {
  const caption = t("orderer.unitPrices", { bidder });
  return h("details", { class: "bid-lines" }, h("summary", {}, caption), linesTable(lines, caption));
}

/** met: true / false, or null when not judged yet. */
export function judgementState(row, requirementId) {
  const cell = row?.capability.find((x) => x.requirement.id === requirementId);
  return cell ? cell.met : null;
}

/** Whether any of the call's requirements is still unjudged for the bid of this report row. */
export function anyUnjudged(requirements, row) {
  return requirements.some((req) => judgementState(row, req.id) === null);
}

/** "yes", or "no" with the reasons worded in the user's language; "not judged yet" is its own state. */
export function qualification(result, unjudged) {
  if (result.qualified) return t("orderer.yes");
  const reasons = result.reasonCodes.filter((x) => x.code !== "CAPABILITY_NOT_JUDGED");
  if (unjudged && !reasons.length) return h("span", { class: "badge" }, t("orderer.notJudgedYet"));
  return h("span", {}, t("orderer.no"), unjudged ? ` (${t("orderer.notJudgedYet")})` : null, h("ul", {}, reasons.map((x) => h("li", {}, reasonText(x)))));
}

const judgementText = (met) => (met === true ? t("orderer.met") : met === false ? t("orderer.notMet") : t("orderer.notJudged"));

const CALL_FIELDS = `id title status submissionDeadline contractStart contractEnd orderer { id name }
    criteria { priceWeight minTurnoverRatio minEquityRatio minCreditRating maxSubcontractingShare
      qualityCriteria { id name weight maxPoints } capabilityRequirements { id text } }`;

const REPORT = `query($id: ID!) {
  call(id: $id) {
    ${CALL_FIELDS}
    evaluation { evaluators { id name }
      results { bid { id submittedAt bidder { name } inHouse totalPrice }
        qualified reasonCodes { code actual required year requirementId message } priceScore qualityScore totalScore rank abnormallyLow }
      report { rows { evaluation { bid { id } } capability { requirement { id } met }
        criteria { criterion { id } scores { evaluator { id } points } mean weightedScore } } } }
    award { bid { id bidder { name } } justification decidedAt standstillEndsAt }
  }
}`;

// A lot's report (a call in lots has no evaluation of its own). The API has no way to ask for
// one lot and prices a question by the size of its answer with every list counted full, so
// every lot's evaluation is read, in parts that each stay under its limit: the call with its
// lots' awards, the results, their reasons, the judgements (with the lot's totals), the
// quality points. Each evaluator's own points per lot would cost too much: with one evaluator
// they are the mean; with more, the mean and the weighted points are shown.
const LOT_CALL = `query($id: ID!) { call(id: $id) { ${CALL_FIELDS}
  lots { number title award { bid { id bidder { name } } justification decidedAt standstillEndsAt } } } }`;
const LOT_RESULTS = `query($id: ID!) { call(id: $id) { lots { number evaluation { evaluators { id name }
  results { bid { id submittedAt bidder { name } inHouse totalPrice } qualified priceScore qualityScore totalScore rank abnormallyLow } } } } }`;
const LOT_REASONS = `query($id: ID!) { call(id: $id) { lots { number evaluation { results { bid { id } reasonCodes { code actual required year requirementId } } } } } }`;
const LOT_JUDGEMENTS = `query($id: ID!) { call(id: $id) { lots { number evaluation { report { rows { evaluation { bid { id } } totalPrice capability { requirement { id } met } } } } } } }`;
const LOT_POINTS = `query($id: ID!) { call(id: $id) { lots { number evaluation { report { rows { evaluation { bid { id } } criteria { criterion { id } mean weightedScore } } } } } } }`;
const LOT_LINES = `query($id: ID!) {
  call(id: $id) { bids { id lines { callLine { lot { number } product { code name unit } quantity } unitPrice lineTotal } } }
}`;

/**
 * The call with lot `n`'s evaluation and award set as the call's own (`evaluation`, `award`),
 * in the shape of the call's report, and the bids' lines of the lot; null when the call has
 * no such lot (or is not to be seen).
 */
async function readLot(id, n) {
  const d = await gql(LOT_CALL, { id });
  const c = d.call;
  const lot = c?.lots.find((l) => l.number === n);
  if (!lot) return { c, lot: null };
  const [a, r, j, p] = await Promise.all([LOT_RESULTS, LOT_REASONS, LOT_JUDGEMENTS, LOT_POINTS]
    .map((q) => gql(q, { id }).then((x) => x.call?.lots.find((l) => l.number === n)?.evaluation ?? null)));
  c.award = lot.award;
  c.evaluation = null;
  if (a) {
    const byBid = (e, rows) => new Map((rows(e) ?? []).map((x) => [x.bid?.id ?? x.evaluation.bid.id, x]));
    const reasons = byBid(r, (e) => e?.results);
    const judged = byBid(j, (e) => e?.report.rows);
    const points = byBid(p, (e) => e?.report.rows);
    const alone = a.evaluators.length === 1 ? a.evaluators[0] : null;
    c.evaluation = {
      evaluators: a.evaluators,
      // Each evaluator's points are not read: one evaluator's are the mean.
      pointsByEvaluator: a.evaluators.length <= 1,
      results: a.results.map((x) => ({ ...x, bid: { ...x.bid, totalPrice: judged.get(x.bid.id)?.totalPrice ?? x.bid.totalPrice },
        reasonCodes: reasons.get(x.bid.id)?.reasonCodes ?? [] })),
      report: { rows: a.results.map((x) => ({
        evaluation: { bid: { id: x.bid.id } },
        capability: judged.get(x.bid.id)?.capability ?? [],
        criteria: (points.get(x.bid.id)?.criteria ?? []).map((k) => ({ ...k,
          scores: alone && k.mean != null ? [{ evaluator: { id: alone.id }, points: Number(k.mean) }] : [] })),
      })) },
    };
  }
  return { c, lot };
}

/** The bids' lines of lot `n` by bid id (see `bidLines`); null if they could not be read. */
async function lotLines(callId, n) {
  try {
    const d = await gql(LOT_LINES, { id: callId });
    return new Map((d.call?.bids ?? []).map((b) => [b.id, b.lines.filter((l) => l.callLine.lot?.number === n)]));
  } catch {
    return null;
  }
}

/** Pairs of [term, value] as a definition list. */
const facts = (pairs) => h("dl", { class: "figures" }, pairs.filter(Boolean).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));

/**
 * #/orderer/calls/<id>/report, or on a call in lots #/orderer/calls/<id>/report?lot=<n> for
 * lot n: for the call's orderer users (the API gives the evaluation to no one else).
 */
export async function report({ args, params }) {
  const s = session();
  const n = params?.has("lot") ? Number(params.get("lot")) : null;
  const path = `/orderer/calls/${args[0]}/report${n === null ? "" : `?lot=${encodeURIComponent(params.get("lot"))}`}`;
  if (s?.user.role !== "ORDERER") return needLogin(t("report.title"), path, t("orderer.needLogin"));
  const notFound = () => h("section", {}, h("h1", {}, t("page.notFound")));
  if (n !== null && !Number.isInteger(n)) return notFound();
  let c;
  let lot = null;
  if (n === null) c = (await gql(REPORT, { id: args[0] })).call;
  else ({ c, lot } = await readLot(args[0], n));
  // Another orderer's call (public once published) has no report for this user.
  if (!c || c.orderer.id !== s.user.organization?.id || (n !== null && !lot)) return notFound();
  const ev = c.evaluation;
  const lines = !ev ? new Map() : lot ? await lotLines(c.id, n) : await bidLines(c.id);
  // The evaluators whose own points are shown (a lot's: with one evaluator only).
  const pointColumns = ev && ev.pointsByEvaluator !== false ? ev.evaluators : [];
  const crit = c.criteria;
  const printedAt = h("span", { "data-printed-at": "" }, dateTime(new Date().toISOString()));
  const printButton = h("button", { type: "button", class: "primary", onclick: () => {
    printedAt.textContent = dateTime(new Date().toISOString());
    window.print();
  } }, t("report.print"));
  const parts = [
    h("h1", {}, lot ? t("report.lotHeading", { title: c.title, lot: t("lots.heading", { n: lot.number, title: lot.title }) }) : t("report.heading", { title: c.title })),
    h("div", { class: "row no-print" }, printButton, h("a", { href: `#/orderer/calls/${c.id}` }, t("report.back"))),
    h("h2", {}, t("report.call")),
    facts([
      [t("newCall.title"), c.title],
      lot ? [t("lots.lot", { n: lot.number }), lot.title] : null,
      [t("calls.orderer"), c.orderer.name],
      [t("report.reference"), h("span", { class: "receipt" }, c.id)],
      [t("calls.status"), statusBadge(c.status)],
      [t("report.submissionDeadline"), dateTime(c.submissionDeadline)],
      [t("call.contractPeriod"), `${date(c.contractStart)} – ${date(c.contractEnd)}`],
      [t("report.printedAt"), printedAt],
    ]),
    table({
      caption: t("call.criteria"),
      columns: [[t("call.criterion")], [t("call.weight"), { num: true }], [t("call.maxPoints"), { num: true }]],
      rows: [[t("call.price"), `${crit.priceWeight} %`, "–"], ...crit.qualityCriteria.map((q) => [q.name, `${q.weight} %`, String(q.maxPoints)])],
    }),
    h("h3", {}, t("call.requirements")),
    h("ol", { class: "requirements" }, crit.capabilityRequirements.map((r) => h("li", {}, r.text))),
    h("ul", {},
      crit.minTurnoverRatio ? h("li", {}, t("call.minTurnoverRatio", { value: number(crit.minTurnoverRatio) })) : null,
      crit.minEquityRatio ? h("li", {}, t("call.minEquityRatio", { value: percent(crit.minEquityRatio) })) : null,
      crit.minCreditRating ? h("li", {}, t("call.minCreditRating", { value: crit.minCreditRating })) : null,
      crit.maxSubcontractingShare ? h("li", {}, t("call.maxSubcontractingShare", { value: percent(crit.maxSubcontractingShare) })) : null),
  ];
  if (!ev) {
    // Before the opening nothing of the bids is shown, not even how many there are.
    const sealed = c.status === "DRAFT" || c.status === "PUBLISHED";
    parts.push(h("h2", {}, t("report.bids")),
      h("p", { "data-no-bids": "" }, sealed ? t("report.sealed", { at: dateTime(c.submissionDeadline) }) : t("report.noEvaluation")));
    return h("article", { class: "report" }, parts);
  }
  const rowOf = new Map(ev.report.rows.map((r) => [r.evaluation.bid.id, r]));
  const requirements = crit.capabilityRequirements;
  const unjudged = (r) => anyUnjudged(requirements, rowOf.get(r.bid.id));
  const flag = (r) => (r.abnormallyLow ? h("span", { class: "badge warn" }, t("orderer.abnormallyLow")) : null);
  parts.push(h("h2", {}, t("report.evaluators")),
    ev.evaluators.length ? h("ul", { "data-evaluators": "" }, ev.evaluators.map((u) => h("li", {}, u.name))) : h("p", {}, "–"));
  parts.push(h("h2", {}, t("report.ranking")));
  if (!ev.results.length) parts.push(h("p", {}, t("report.noBids")));
  else {
    parts.push(table({
      caption: t("orderer.comparison"),
      columns: [[t("call.rank"), { num: true }], [t("call.bidder")], [t("call.totalPrice"), { num: true }], [t("orderer.priceScore"), { num: true }],
        [t("orderer.qualityScore"), { num: true }], [t("call.totalScore"), { num: true }], [t("orderer.qualified")]],
      rows: ev.results.map((r) => [r.rank ?? "–", h("span", {}, r.bid.bidder.name, r.bid.inHouse ? ` (${t("orderer.inHouse")})` : ""),
        h("span", {}, moneyNode(r.bid.totalPrice), r.abnormallyLow ? " " : null, flag(r)),
        number(r.priceScore), number(r.qualityScore), number(r.totalScore), qualification(r, unjudged(r))]),
    }));
  }
  // Each bid in the order of the results (by rank, the disqualified last), as its own block.
  if (ev.results.length) parts.push(h("h2", {}, t("report.bids")));
  for (const r of ev.results) {
    const b = r.bid;
    const row = rowOf.get(b.id);
    const name = b.bidder.name;
    const criterion = (q) => row?.criteria.find((x) => x.criterion.id === q.id);
    const points = (q, u) => criterion(q)?.scores.find((x) => x.evaluator.id === u.id)?.points;
    parts.push(h("section", { class: "report-bid", "data-bid": b.id, "aria-labelledby": `bid-${b.id}` },
      h("h3", { id: `bid-${b.id}` }, r.rank ? t("report.bidHeading", { rank: r.rank, bidder: name }) : name),
      facts([
        [t("call.bidder"), name],
        [t("report.inHouse"), b.inHouse ? t("orderer.yes") : t("orderer.no")],
        [t("report.submittedAt"), dateTime(b.submittedAt)],
        [t("call.totalPrice"), moneyNode(b.totalPrice)],
        [t("orderer.priceScore"), number(r.priceScore)],
        [t("orderer.qualityScore"), number(r.qualityScore)],
        [t("call.totalScore"), number(r.totalScore)],
        [t("call.rank"), r.rank ? String(r.rank) : "–"],
        [t("orderer.qualified"), qualification(r, unjudged(r))],
        r.abnormallyLow ? [t("report.abnormallyLow"), h("strong", {}, t("report.abnormallyLowYes"))] : null,
      ]),
      linesTable(lines === null ? null : (lines.get(b.id) ?? []), t("report.linesOf", { bidder: name })),
      requirements.length ? table({
        caption: t("report.capabilityOf", { bidder: name }),
        columns: [[t("report.requirement")], [t("report.judgement")]],
        rows: requirements.map((req) => [req.text, h("span", { "data-met": String(judgementState(row, req.id)) }, judgementText(judgementState(row, req.id)))]),
      }) : null,
      crit.qualityCriteria.length ? table({
        caption: t("report.pointsOf", { bidder: name }),
        columns: [[t("call.criterion")], ...pointColumns.map((u) => [u.name, { num: true }]), [t("report.mean"), { num: true }], [t("report.weighted"), { num: true }]],
        rows: crit.qualityCriteria.map((q) => [`${q.name} (0–${q.maxPoints})`, ...pointColumns.map((u) => (points(q, u) ?? "–")),
          number(criterion(q)?.mean ?? null), number(criterion(q)?.weightedScore ?? null)]),
      }) : null,
      crit.qualityCriteria.length && pointColumns.length < ev.evaluators.length ? h("p", { class: "hint" }, t("report.lotPointsHint")) : null));
  }
  parts.push(h("h2", {}, t("call.award")));
  if (c.award) {
    parts.push(facts([
      [t("orderer.winner"), c.award.bid.bidder.name],
      [t("orderer.justification"), c.award.justification],
      [t("report.decidedAt"), dateTime(c.award.decidedAt)],
      [t("report.standstillEnds"), dateTime(c.award.standstillEndsAt)],
    ]));
  } else {
    parts.push(h("p", {}, t("report.noAward")));
  }
  return h("article", { class: "report" }, parts);
}
