// Everyone signed in: the e-mails the system has sent or will send them.
import { gql, session } from "../api.js";
import { h } from "../dom.js";
import { t, dateTime } from "../i18n.js";

export async function list() {
  if (!session()) return h("section", {}, h("h1", {}, t("nav.notifications")), h("p", {}, h("a", { href: "#/login?next=/notifications" }, t("nav.login"))));
  const d = await gql("{ notifications(first: 100) { id subject event status createdAt } }");
  return h("section", {}, h("h1", {}, t("nav.notifications")),
    d.notifications.length ? h("table", {},
      h("thead", {}, h("tr", {}, ...["notifications.subject", "notifications.when", "notifications.status"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, d.notifications.map((n) => h("tr", {}, h("td", {}, n.subject), h("td", {}, dateTime(n.createdAt)), h("td", {}, t(`mailStatus.${n.status}`))))))
      : h("p", {}, t("notifications.none")));
}
