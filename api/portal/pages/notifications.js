// Everyone signed in: the e-mails the system has sent or will send them, each worded in the
// portal's language from its event (the e-mail itself is in the language the user chose for
// e-mails): the subject's title part is the call's or contract's own title.
import { gql, session } from "../api.js";
import { h } from "../dom.js";
import { t, dateTime } from "../i18n.js";

/** "Bid received: Kotihoito 2027" (event bid.submitted) -> "Tarjous vastaanotettu: Kotihoito 2027". */
export function subjectText(n) {
  const cut = n.subject.indexOf(": ");
  const title = cut >= 0 ? n.subject.slice(cut + 2) : n.subject;
  let key = `notice.${n.event}`;
  if (n.event === "contract.deviation") key += /\bUNDER\b/.test(n.subject.slice(0, Math.max(cut, 0))) ? ".UNDER" : ".OVER";
  return t(key) === key ? t("notice.UNKNOWN", { title }) : t(key, { title });
}

export async function list() {
  if (!session()) return h("section", {}, h("h1", {}, t("nav.notifications")), h("p", {}, h("a", { href: "#/login?next=/notifications" }, t("nav.login"))));
  const d = await gql("{ notifications(first: 100) { id subject event status createdAt } }");
  return h("section", {}, h("h1", {}, t("nav.notifications")),
    d.notifications.length ? h("table", {},
      h("thead", {}, h("tr", {}, ...["notifications.subject", "notifications.when", "notifications.status"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, d.notifications.map((n) => h("tr", { "data-event": n.event }, h("td", {}, subjectText(n)), h("td", {}, dateTime(n.createdAt)), h("td", {}, t(`mailStatus.${n.status}`))))))
      : h("p", {}, t("notifications.none")));
}
