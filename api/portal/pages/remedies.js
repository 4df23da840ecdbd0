// The award decision's remedies. On a call's public page: the decision's deadlines, the
// printable decision and the instructions; for a bidder the correction-request form (until
// the deadline) and its own requests; the appeals for those who may see them. On the
// orderer's page: the requests to decide, the withdrawal of the award, and the appeals to
// record and resolve. Every step with legal weight is confirmed first.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t, dateTime, helsinkiToIso } from "../i18n.js";
import { field, formError, showErrors, clearErrors, check } from "../forms.js";
import { confirmDialog } from "./public.js";

/** The remedy fields a call query adds (the API filters them by who asks). */
export const REMEDY_FIELDS = `correctionRequests { id text status decision submittedAt decidedAt requester { id name } lot { id } }
    appeals { id caseNumber filedAt status outcome resolvedAt appellant { id name } lot { id } }`;

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

function requestList(requests, decide) {
  return h("ul", { class: "cards" }, requests.map((r) => h("li", { "data-request": r.id },
    h("p", {}, h("strong", {}, r.requester.name), ` · ${dateTime(r.submittedAt)} · `, h("span", { class: "badge" }, t(`correction.${r.status}`))),
    h("p", {}, r.text),
    r.decision ? h("p", {}, h("strong", {}, t("remedy.decision")), " ", r.decision, r.decidedAt ? ` (${dateTime(r.decidedAt)})` : "") : null,
    decide && r.status === "PENDING" ? decide(r) : null)));
}

function appealList(appeals, resolve) {
  return h("ul", { class: "cards" }, appeals.map((a) => h("li", { "data-appeal": a.id },
    h("p", {}, h("strong", {}, a.appellant.name), ` · ${a.caseNumber} · ${dateTime(a.filedAt)} · `, h("span", { class: "badge" }, t(`appeal.${a.status}`))),
    a.outcome ? h("p", {}, h("strong", {}, t("remedy.outcome")), " ", a.outcome) : null,
    resolve && a.status === "PENDING" ? resolve(a) : null)));
}

/** The public call page's part: deadlines, the document, the instructions, and for a
 *  bidder its requests and the form. */
export async function decisionPanel(c, s, render) {
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

/** The orderer's part: each pending request decided (accepted withdraws the award), the
 *  award withdrawn, and the appeals recorded and resolved. `bidders` are [id, name]. */
export function ordererPanel(c, bidders, render) {
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
      const sure = await confirmDialog({ title: t(accept ? "remedy.confirmAccept" : "remedy.confirmReject"), confirm: t(accept ? "remedy.accept" : "remedy.reject"),
        intro: accept ? t("remedy.acceptWithdraws") : null,
        summary: [[t("remedy.requester"), r.requester.name], [t("remedy.decisionText"), decision.input.value.trim()]] });
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
