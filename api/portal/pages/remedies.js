// The award decision's remedies. On a call's public page: the decision's deadlines, the
// printable decision and the instructions; for a bidder the correction-request form (until
// the deadline) and its own requests; the appeals for those who may see them. On the
// orderer's page: the requests to decide, the withdrawal of the award, and the appeals to
// record and resolve. On a call in lots each lot has its own award, so each of these is the
// lot's (the API is told which lot with `lotId`), and every request and appeal names its lot.
// Every step with legal weight is confirmed first.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t, dateTime, helsinkiToIso } from "../i18n.js";
import { field, formError, showErrors, clearErrors, check } from "../forms.js";
import { confirmDialog } from "./public.js";

/** The remedy fields a call query adds (the API filters them by who asks). */
export const REMEDY_FIELDS = `correctionRequests { id text status decision submittedAt decidedAt requester { id name } lot { id number title } }
    appeals { id caseNumber filedAt status outcome resolvedAt appellant { id name } lot { id number title } }`;

async function send(area, fields, render, query, variables) {
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

/** Which lot a request or an appeal is about, on a call in lots (null otherwise). */
function aboutLot(x) {
  return x.lot ? h("p", { "data-remedy-lot": x.lot.number }, t("remedy.aboutLot", { n: x.lot.number, title: x.lot.title })) : null;
}

/** The summary row naming a lot in a confirmation (none for a call without lots). */
function lotRow(lot) {
  return lot ? [[t("lots.title"), t("lots.heading", { n: lot.number, title: lot.title })]] : [];
}

/** An award's deadlines for a correction request and for an appeal. */
function deadlines(a) {
  return h("dl", { class: "deadlines" },
    h("dt", {}, t("remedy.correctionDeadline")), h("dd", {}, dateTime(a.correctionDeadline)),
    h("dt", {}, t("remedy.appealDeadline")), h("dd", {}, dateTime(a.appealDeadline)));
}

/** The printable decision of a lot's award. */
function lotDocument(lot) {
  return h("p", {}, h("a", { href: `/lots/${encodeURIComponent(lot.id)}/decision.html` }, t("remedy.lotDocument", { n: lot.number })));
}

function requestList(requests, decide) {
  return h("ul", { class: "cards" }, requests.map((r) => h("li", { "data-request": r.id },
    h("p", {}, h("strong", {}, r.requester.name), ` · ${dateTime(r.submittedAt)} · `, h("span", { class: "badge" }, t(`correction.${r.status}`))),
    aboutLot(r),
    h("p", {}, r.text),
    r.decision ? h("p", {}, h("strong", {}, t("remedy.decision")), " ", r.decision, r.decidedAt ? ` (${dateTime(r.decidedAt)})` : "") : null,
    decide && r.status === "PENDING" ? decide(r) : null)));
}

function appealList(appeals, resolve) {
  return h("ul", { class: "cards" }, appeals.map((a) => h("li", { "data-appeal": a.id },
    h("p", {}, h("strong", {}, a.appellant.name), ` · ${a.caseNumber} · ${dateTime(a.filedAt)} · `, h("span", { class: "badge" }, t(`appeal.${a.status}`))),
    aboutLot(a),
    a.outcome ? h("p", {}, h("strong", {}, t("remedy.outcome")), " ", a.outcome) : null,
    resolve && a.status === "PENDING" ? resolve(a) : null)));
}

/** The public call page's part: deadlines, the document, the instructions, and for a
 *  bidder its requests and the form. */
export async function decisionPanel(c, s, render) {
  if (c.lots?.length) return lotsDecisionPanel(c, s, render);
  const a = c.award;
  const section = h("section", { class: "stack", "aria-labelledby": "remedies-title" },
    h("h2", { id: "remedies-title" }, t("remedy.title")),
    h("dl", { class: "deadlines" },
      h("dt", {}, t("remedy.correctionDeadline")), h("dd", {}, dateTime(a.correctionDeadline)),
      h("dt", {}, t("remedy.appealDeadline")), h("dd", {}, dateTime(a.appealDeadline))),
    h("p", {}, h("a", { href: `/calls/${encodeURIComponent(c.id)}/decision.html` }, t("remedy.document"))),
    h("p", {}, t("remedy.correctionHelp", { until: dateTime(a.correctionDeadline) })),
    h("p", {}, t("remedy.appealHelp", { until: dateTime(a.appealDeadline) })));
  if (c.appeals.length) section.append(h("h3", {}, t("remedy.appeals")), appealList(c.appeals, null));
  if (s?.user.role !== "PRODUCER") return section;
  const own = await gql("query($id: ID!) { call(id: $id) { myBid { status } } }", { id: c.id });
  if (own.call?.myBid?.status !== "SUBMITTED") return section;
  if (c.correctionRequests.length) section.append(h("h3", {}, t("remedy.yourRequests")), requestList(c.correctionRequests, null));
  if (Date.now() <= Date.parse(a.correctionDeadline)) {
    const text = field({ name: "text", label: t("remedy.requestText"), type: "textarea", required: true, maxLength: 20000 });
    const area = formError();
    section.append(h("form", { class: "stack panel", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!check([text], area)) return;
      const sure = await confirmDialog({ title: t("remedy.confirmRequest"), confirm: t("remedy.request"),
        summary: [[t("call.award"), c.title], [t("remedy.requestText"), text.input.value.trim()]] });
      if (sure) await send(area, [text], render, "mutation($c: ID!, $t: String!) { requestCorrection(callId: $c, text: $t) { id } }", { c: c.id, t: text.input.value });
    } }, h("h3", {}, t("remedy.request")), text.wrap, area, h("button", { class: "primary", type: "submit" }, t("remedy.request"))));
  }
  return section;
}

/** The public call page's part on a call in lots: each awarded lot's deadlines, document and
 *  instructions, and for a bidder covering the lot its correction-request form (until the
 *  lot's deadline); then the appeals, and a bidder's own requests, each naming its lot. */
async function lotsDecisionPanel(c, s, render) {
  const section = h("section", { class: "stack", "aria-labelledby": "remedies-title" }, h("h2", { id: "remedies-title" }, t("remedy.title")));
  let covered = null;
  if (s?.user.role === "PRODUCER") {
    const own = await gql("query($id: ID!) { call(id: $id) { myBid { status lots { id } } } }", { id: c.id });
    const bid = own.call?.myBid;
    if (bid?.status === "SUBMITTED") covered = new Set(bid.lots.map((l) => l.id));
  }
  for (const lot of c.lots.filter((l) => l.award)) {
    const a = lot.award;
    const n = lot.number;
    const id = `lot-remedies-${lot.id}`;
    const panel = h("section", { class: "panel stack", "aria-labelledby": id, "data-lot-remedies": n },
      h("h3", { id }, t("lots.heading", { n, title: lot.title })),
      deadlines(a), lotDocument(lot),
      h("p", {}, t("remedy.correctionHelp", { until: dateTime(a.correctionDeadline) })),
      h("p", {}, t("remedy.appealHelp", { until: dateTime(a.appealDeadline) })));
    if (covered?.has(lot.id) && Date.now() <= Date.parse(a.correctionDeadline)) {
      const text = field({ name: "text", label: t("remedy.lotRequestText", { n }), type: "textarea", required: true, maxLength: 20000 });
      const area = formError();
      panel.append(h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        if (!check([text], area)) return;
        const sure = await confirmDialog({ title: t("remedy.lotConfirmRequest", { n }), confirm: t("remedy.lotRequest", { n }),
          summary: [[t("call.award"), c.title], ...lotRow(lot), [t("remedy.lotRequestText", { n }), text.input.value.trim()]] });
        if (sure) {
          await send(area, [text], render, "mutation($c: ID!, $t: String!, $l: ID) { requestCorrection(callId: $c, text: $t, lotId: $l) { id } }",
            { c: c.id, t: text.input.value, l: lot.id });
        }
      } }, h("h4", {}, t("remedy.lotRequest", { n })), text.wrap, area, h("button", { class: "primary", type: "submit" }, t("remedy.lotRequest", { n }))));
    }
    section.append(panel);
  }
  if (c.appeals.length) section.append(h("h3", {}, t("remedy.appeals")), appealList(c.appeals, null));
  if (covered && c.correctionRequests.length) section.append(h("h3", {}, t("remedy.yourRequests")), requestList(c.correctionRequests, null));
  return section;
}

/** The orderer's part: each pending request decided (accepted withdraws the award), the
 *  award withdrawn, and the appeals recorded and resolved. `bidders` are [id, name]. On a call
 *  in lots, after the requests and appeals, each decided lot's part (see `lotPanel`);
 *  `contracts` are the orderer's ({ lot { id } }), so a lot with one is not withdrawn. */
export function ordererPanel(c, bidders, render, contracts = []) {
  const section = h("section", { class: "stack", "aria-labelledby": "remedies-title" }, h("h2", { id: "remedies-title" }, t("remedy.title")));
  if (c.award) {
    section.append(h("dl", { class: "deadlines" },
      h("dt", {}, t("remedy.correctionDeadline")), h("dd", {}, dateTime(c.award.correctionDeadline)),
      h("dt", {}, t("remedy.appealDeadline")), h("dd", {}, dateTime(c.award.appealDeadline))),
    h("p", {}, h("a", { href: `/calls/${encodeURIComponent(c.id)}/decision.html` }, t("remedy.document"))));
  }
  const decide = (r) => {
    const decision = field({ name: "decision", label: t("remedy.decisionText"), type: "textarea", required: true, maxLength: 20000 });
    const area = formError();
    const go = async (accept) => {
      if (!check([decision], area)) return;
      const withdraws = r.lot ? t("remedy.lotAcceptWithdraws", { n: r.lot.number }) : t("remedy.acceptWithdraws");
      const sure = await confirmDialog({ title: t(accept ? "remedy.confirmAccept" : "remedy.confirmReject"), confirm: t(accept ? "remedy.accept" : "remedy.reject"),
        intro: accept ? withdraws : null,
        summary: [...lotRow(r.lot), [t("remedy.requester"), r.requester.name], [t("remedy.decisionText"), decision.input.value.trim()]] });
      if (sure) await send(area, [decision], render, "mutation($r: ID!, $a: Boolean!, $d: String!) { decideCorrection(requestId: $r, accept: $a, decision: $d) { id } }",
        { r: r.id, a: accept, d: decision.input.value });
    };
    return h("div", { class: "stack" }, decision.wrap, area,
      h("div", { class: "actions" },
        h("button", { class: "secondary", type: "button", onclick: () => go(false) }, t("remedy.reject")),
        h("button", { class: "danger", type: "button", onclick: () => go(true) }, t("remedy.accept"))));
  };
  section.append(h("h3", {}, t("remedy.requests")),
    c.correctionRequests.length ? requestList(c.correctionRequests, decide) : h("p", {}, t("remedy.noRequests")));
  if (c.award && c.status === "AWARDED") {
    const reason = field({ name: "withdrawReason", label: t("remedy.withdrawReason"), type: "textarea", required: true, maxLength: 20000 });
    const area = formError();
    section.append(h("form", { class: "stack panel", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!check([reason], area)) return;
      const sure = await confirmDialog({ title: t("remedy.confirmWithdraw"), confirm: t("remedy.withdraw"), intro: t("remedy.acceptWithdraws"),
        summary: [[t("newCall.title"), c.title], [t("remedy.withdrawReason"), reason.input.value.trim()]] });
      if (sure) await send(area, [reason], render, "mutation($c: ID!, $r: String!) { withdrawAward(callId: $c, reason: $r) { id } }", { c: c.id, r: reason.input.value });
    } }, h("h3", {}, t("remedy.withdraw")), reason.wrap, area, h("button", { class: "danger", type: "submit" }, t("remedy.withdraw"))));
  }
  const resolve = (a) => {
    const status = field({ name: "status", label: t("remedy.outcomeStatus"), type: "select", options: ["DISMISSED", "UPHELD", "WITHDRAWN"].map((s) => [s, t(`appeal.${s}`)]) });
    const outcome = field({ name: "outcome", label: t("remedy.outcome"), type: "textarea", required: true, maxLength: 20000 });
    const area = formError();
    return h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!check([outcome], area)) return;
      await send(area, [status, outcome], render, "mutation($a: ID!, $s: AppealStatus!, $o: String!) { resolveAppeal(appealId: $a, status: $s, outcome: $o) { id } }",
        { a: a.id, s: status.input.value, o: outcome.input.value });
    } }, status.wrap, outcome.wrap, area, h("button", { class: "secondary", type: "submit" }, t("remedy.resolve")));
  };
  section.append(h("h3", {}, t("remedy.appeals")), c.appeals.length ? appealList(c.appeals, resolve) : h("p", {}, t("remedy.noAppeals")));
  if (c.lots?.length && c.status !== "CANCELLED") {
    for (const lot of c.lots) {
      const panel = lotPanel(c, lot, contracts.some((k) => k.lot?.id === lot.id), render);
      if (panel) section.append(panel);
    }
  }
  if (["AWARDED", "CONTRACTED", "UNSUCCESSFUL"].includes(c.status) && bidders.length) {
    const appellant = field({ name: "appellantId", label: t("remedy.appellant"), type: "select", options: bidders });
    const caseNumber = field({ name: "caseNumber", label: t("remedy.caseNumber"), required: true, maxLength: 100 });
    const filedAt = field({ name: "filedAt", label: t("remedy.filedAt"), type: "datetime-local", required: true });
    const area = formError();
    section.append(h("form", { class: "stack panel", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!check([caseNumber, filedAt], area)) return;
      await send(area, [appellant, caseNumber, filedAt], render,
        "mutation($c: ID!, $a: ID!, $n: String!, $f: DateTime!) { recordAppeal(callId: $c, appellantId: $a, caseNumber: $n, filedAt: $f) { id } }",
        { c: c.id, a: appellant.input.value, n: caseNumber.input.value, f: helsinkiToIso(filedAt.input.value) });
    } }, h("h3", {}, t("remedy.recordAppeal")), appellant.wrap, caseNumber.wrap, filedAt.wrap, area, h("button", { class: "secondary", type: "submit" }, t("remedy.recordAppeal"))));
  }
  return section;
}

/** A decided lot's part of the orderer's remedies: its award's deadlines and document, the
 *  withdrawal of its award (until a contract is made from it), and an appeal recorded about
 *  its decision by one of the bidders covering it. Null when there is nothing to show. */
function lotPanel(c, lot, contracted, render) {
  const n = lot.number;
  const bidders = new Map((lot.evaluation?.results ?? []).map((r) => [r.bid.bidder.id, r.bid.bidder.name]));
  for (const r of lot.award?.ranking ?? []) bidders.set(r.bidder.id, r.bidder.name);
  const appealable = (lot.award || lot.unsuccessfulReason) && bidders.size > 0;
  if (!lot.award && !appealable) return null;
  const id = `lot-remedies-${lot.id}`;
  const panel = h("section", { class: "panel stack", "aria-labelledby": id, "data-lot-remedies": n },
    h("h3", { id }, t("lots.heading", { n, title: lot.title })));
  if (lot.award) panel.append(deadlines(lot.award), lotDocument(lot));
  if (lot.award && !contracted) {
    const reason = field({ name: "reason", label: t("remedy.lotWithdrawReason", { n }), type: "textarea", required: true, maxLength: 20000 });
    const area = formError();
    panel.append(h("form", { class: "stack", novalidate: true, "data-lot-withdraw": n, onsubmit: async (e) => {
      e.preventDefault();
      if (!check([reason], area)) return;
      const sure = await confirmDialog({ title: t("remedy.lotConfirmWithdraw", { n }), confirm: t("remedy.lotWithdraw", { n }), intro: t("remedy.lotAcceptWithdraws", { n }),
        summary: [[t("newCall.title"), c.title], ...lotRow(lot), [t("remedy.lotWithdrawReason", { n }), reason.input.value.trim()]] });
      if (sure) {
        await send(area, [reason], render, "mutation($c: ID!, $r: String!, $l: ID) { withdrawAward(callId: $c, reason: $r, lotId: $l) { id } }",
          { c: c.id, r: reason.input.value, l: lot.id });
      }
    } }, h("h4", {}, t("remedy.lotWithdraw", { n })), reason.wrap, area, h("button", { class: "danger", type: "submit" }, t("remedy.lotWithdraw", { n }))));
  }
  if (appealable) {
    const appellant = field({ name: "appellantId", label: t("remedy.lotAppellant", { n }), type: "select", options: [...bidders] });
    const caseNumber = field({ name: "caseNumber", label: t("remedy.lotCaseNumber", { n }), required: true, maxLength: 100 });
    const filedAt = field({ name: "filedAt", label: t("remedy.lotFiledAt", { n }), type: "datetime-local", required: true });
    const area = formError();
    panel.append(h("form", { class: "stack", novalidate: true, "data-lot-appeal": n, onsubmit: async (e) => {
      e.preventDefault();
      if (!check([caseNumber, filedAt], area)) return;
      await send(area, [appellant, caseNumber, filedAt], render,
        "mutation($c: ID!, $a: ID!, $n: String!, $f: DateTime!, $l: ID) { recordAppeal(callId: $c, appellantId: $a, caseNumber: $n, filedAt: $f, lotId: $l) { id } }",
        { c: c.id, a: appellant.input.value, n: caseNumber.input.value, f: helsinkiToIso(filedAt.input.value), l: lot.id });
    } }, h("h4", {}, t("remedy.lotRecordAppeal", { n })), appellant.wrap, caseNumber.wrap, filedAt.wrap, area,
    h("button", { class: "secondary", type: "submit" }, t("remedy.lotRecordAppeal", { n }))));
  }
  return panel;
}
