// eForms notices (contract, award, modification) as XML files to send to Hilma: fetched
// through GraphQL with the session (a draft is its orderer's), saved as a download. A notice
// that is not due yet, or not the caller's to read, says why beside its button.
import { gql } from "./api.js";
import { h, saveFile } from "./dom.js";
import { t, errorText } from "./i18n.js";

const QUERY = "query($k: NoticeKind!, $c: ID, $k2: ID) { notice(kind: $k, callId: $c, contractId: $k2) }";

/** A button that saves the notice `kind` of the call `callId` or the contract `contractId`. */
export function noticeButton({ kind, callId = null, contractId = null, label, file }) {
  const status = h("span", { class: "hint", role: "status" });
  const button = h("button", { type: "button", class: "secondary", "data-notice": kind, onclick: async () => {
    status.textContent = "";
    button.disabled = true;
    try {
      const d = await gql(QUERY, { k: kind, c: callId, k2: contractId });
      saveFile(new Blob([d.notice], { type: "application/xml" }), file);
      status.textContent = t("eforms.saved");
    } catch (err) {
      status.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  } }, label);
  return h("li", {}, button, " ", status);
}

/** The notices section of a call's page: the contract notice (a draft before publication,
 *  shown to the call's orderer only) and, once awarded, the award notice. */
export function callNotices(c, { orderer }) {
  const items = [];
  if (c.status !== "DRAFT" || orderer) {
    items.push(noticeButton({ kind: "CONTRACT_NOTICE", callId: c.id, file: `${c.id}-contract-notice.xml`,
      label: t(c.status === "DRAFT" ? "eforms.contractDraft" : "eforms.contract") }));
  }
  if (c.award) {
    items.push(noticeButton({ kind: "CONTRACT_AWARD_NOTICE", callId: c.id, file: `${c.id}-award-notice.xml`, label: t("eforms.award") }));
  }
  if (!items.length) return null;
  return h("section", { "data-notices": "" }, h("h2", {}, t("eforms.title")), h("p", { class: "hint" }, t("eforms.hint")), h("ul", {}, items));
}
