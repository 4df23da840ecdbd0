// Small helpers shared by the work pages (contracts, budget, audit, settings): a table whose
// cells carry their column's name (data-label, so narrow screens show each row as a list),
// a page for the wrong role, and a mutation run from a form with its errors beside fields.
import { gql, session } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { clearErrors, showErrors } from "../forms.js";

/** columns: [[label, { num }]], rows: arrays of cells (text or nodes). */
export function table({ caption, columns, rows }) {
  return h("table", {},
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, columns.map(([label, o = {}]) => h("th", { scope: "col", class: o.num ? "num" : null }, label)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c, i) =>
      h("td", { class: columns[i][1]?.num ? "num" : null, "data-label": columns[i][0] }, c))))));
}

/** The signed-in session when `ok(session)` holds, else null. */
export function signedIn(ok = () => true) {
  const s = session();
  return s && ok(s) ? s : null;
}

/** A page telling the user to sign in (as the right kind of user, or as `text` says). */
export function needLogin(title, next, text = t("work.needLogin")) {
  return h("section", {}, h("h1", {}, title),
    h("p", {}, h("a", { href: `#/login?next=${encodeURIComponent(next)}` }, text)));
}

/** Runs a mutation, showing its errors beside `fields` or in `area`; resolves to data or null. */
export async function run(area, fields, query, variables) {
  clearErrors(fields, area);
  try {
    return await gql(query, variables);
  } catch (err) {
    showErrors(err, fields, area);
    return null;
  }
}

/** A decimal typed in either language's format, as the API's string (or as typed, for the API to refuse). */
export function dec(f) {
  const v = f.input.value.trim().replace(/[\s\u00a0]/g, "").replace(",", ".");
  return v === "" ? null : v;
}

export const isAdmin = (s) => s.user.role === "ADMIN";
export const isOrderer = (s) => s.user.role === "ORDERER";
export const isProducer = (s) => s.user.role === "PRODUCER";
