// The audit log (newest first; the own organisation's for orderer users, all for admins),
// filtered by entity and id and paged by `first`; admins also verify the whole chain.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t, dateTime } from "../i18n.js";
import { field, formError } from "../forms.js";
import { table, signedIn, needLogin, run, isAdmin, isOrderer } from "./kit.js";

const PAGE = 50;
const MAX = 500; // the API serves at most 500 events at a time

/** #/audit?entity=&entityId=&first=, or #/audit?sealedCall=<call id>&afterSeq= */
export async function audit({ params, go }) {
  const s = signedIn((x) => isOrderer(x) || isAdmin(x));
  if (!s) return needLogin(t("nav.audit"), "/audit");
  if (params.get("sealedCall")) return sealedLog(params.get("sealedCall"), params.get("afterSeq"));
  const entity = params.get("entity") || "";
  const entityId = params.get("entityId") || "";
  const first = Math.min(Math.max(Number.parseInt(params.get("first") || "", 10) || PAGE, 1), MAX);
  const d = await gql(`query($e: String, $id: String, $n: Int) {
    auditEvents(entity: $e, entityId: $id, first: $n) { seq at actor action entity entityId summary hash } }`,
  { e: entity || null, id: entityId || null, n: first });
  const where = (n) => {
    const q = new URLSearchParams();
    if (entity) q.set("entity", entity);
    if (entityId) q.set("entityId", entityId);
    q.set("first", String(n));
    return `/audit?${q}`;
  };
  const e = field({ name: "entity", label: t("audit.entity"), hint: t("audit.entityHint"), value: entity });
  const id = field({ name: "entityId", label: t("audit.entityId"), value: entityId });
  const n = field({ name: "first", label: t("audit.first"), type: "number", value: String(first), attrs: { min: "1", max: String(MAX) } });
  const filters = h("form", { class: "row", onsubmit: (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (e.input.value.trim()) q.set("entity", e.input.value.trim());
    if (id.input.value.trim()) q.set("entityId", id.input.value.trim());
    q.set("first", n.input.value || String(PAGE));
    go(`/audit?${q}`);
  } }, e.wrap, id.wrap, n.wrap, h("button", { class: "secondary", type: "submit" }, t("audit.filter")));

  let verify = null;
  if (isAdmin(s)) {
    const area = formError();
    const result = h("p", { role: "status", "data-verification": "" });
    verify = h("section", { class: "panel" }, h("h2", {}, t("audit.verifyTitle")), area, result,
      h("button", { class: "primary", type: "button", onclick: async () => {
        const r = await run(area, [], "{ verifyAuditChain { valid events firstBrokenSeq sealedEvents } }", {});
        if (!r) return;
        const v = r.verifyAuditChain;
        result.className = v.valid ? "ok" : "error";
        result.textContent = v.valid ? t("audit.valid", { events: v.events, sealed: v.sealedEvents })
          : t("audit.broken", { seq: v.firstBrokenSeq ?? "?", events: v.events });
      } }, t("audit.verify")));
  }
  const events = d.auditEvents;
  return h("section", {}, h("h1", {}, t("nav.audit")), verify, filters,
    h("p", { role: "status" }, t("audit.count", { count: events.length })),
    events.length ? table({
      caption: t("audit.events"),
      columns: [[t("audit.seq"), { num: true }], [t("audit.at")], [t("audit.action")], [t("audit.entity")], [t("audit.entityId")], [t("audit.actor")], [t("audit.summary")]],
      rows: events.map((x) => [String(x.seq), dateTime(x.at), x.action, x.entity, x.entityId, x.actor ?? t("audit.system"),
        h("div", {}, h("code", { class: "wrap" }, JSON.stringify(x.summary)),
          // The anchor of an opened sealed log leads to the log itself.
          x.action === "call.bids_opened" ? h("p", {}, h("a", { href: `#/audit?sealedCall=${encodeURIComponent(x.entityId)}` }, t("audit.openSealedLog"))) : null)]),
    }) : h("p", {}, t("audit.none")),
    events.length === first && first < MAX ? h("p", { class: "pager" }, h("a", { href: `#${where(Math.min(first + PAGE, MAX))}` }, t("audit.more"))) : null);
}

const LOG_PAGE = 500; // the API's default page of a sealed log

/** A call's sealed log (its bid events and their receipts' deliveries), once its bids are
 *  opened: hash-chained on its own, its head anchored in the main chain. Empty before the
 *  opening, for everyone. */
async function sealedLog(callId, afterSeqParam) {
  const afterSeq = Math.max(Number.parseInt(afterSeqParam || "0", 10) || 0, 0);
  const d = await gql(`query($c: ID!, $n: Int, $a: Int) { call(id: $c) { id title }
    sealedLog(callId: $c, first: $n, afterSeq: $a) { seq at actor action entity entityId summary hash } }`,
  { c: callId, n: LOG_PAGE, a: afterSeq });
  const events = d.sealedLog;
  const title = d.call ? t("audit.sealedLogOf", { title: d.call.title }) : t("audit.sealedLog");
  const last = events.length ? events[events.length - 1].seq : afterSeq;
  return h("section", {}, h("h1", {}, title),
    h("p", {}, h("a", { href: "#/audit" }, t("audit.backToLog"))),
    h("p", { class: "hint" }, t("audit.sealedLogHint")),
    h("p", { role: "status" }, t("audit.count", { count: events.length })),
    events.length ? table({
      caption: t("audit.sealedEvents"),
      columns: [[t("audit.seq"), { num: true }], [t("audit.at")], [t("audit.action")], [t("audit.target")], [t("audit.actor")], [t("audit.summary")]],
      rows: events.map((x) => [String(x.seq), dateTime(x.at), x.action, h("span", {}, `${x.entity} `, h("code", { class: "wrap" }, x.entityId)),
        x.actor ? h("code", { class: "wrap" }, x.actor) : t("audit.system"),
        h("div", {}, h("code", { class: "wrap" }, JSON.stringify(x.summary)), h("p", { class: "hint" }, `${t("audit.hash")}: `, h("code", { class: "wrap" }, x.hash)))]),
    }) : h("p", {}, t("audit.sealedNone")),
    events.length === LOG_PAGE ? h("p", { class: "pager" }, h("a", { href: `#/audit?sealedCall=${encodeURIComponent(callId)}&afterSeq=${last}` }, t("audit.more"))) : null);
}
