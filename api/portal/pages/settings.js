// The user's own settings: a producer's followed product categories (told of new calls in
// them), an orderer user's declared ties (organisations whose bids they may not evaluate),
// and for everyone the language of their e-mails, their organisation's address for eForms
// notices and the way to change their password.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { field, formError } from "../forms.js";
import { signedIn, needLogin, run, isProducer, isOrderer } from "./kit.js";

async function subscriptions(render) {
  const d = await gql("{ myCategorySubscriptions products { category } }");
  const mine = d.myCategorySubscriptions;
  const categories = [...new Set(d.products.map((p) => p.category))].filter((c) => !mine.includes(c)).sort();
  const category = field({ name: "category", label: t("settings.category"), type: "select", required: true,
    options: [["", t("work.choose")], ...categories.map((c) => [c, c])] });
  const area = formError();
  return h("section", {}, h("h2", {}, t("settings.subscriptions")), h("p", { class: "hint" }, t("settings.subscriptionsHint")),
    mine.length ? h("ul", { class: "cards", "aria-label": t("settings.subscriptions") }, mine.map((c) => h("li", { class: "row" }, h("span", {}, c),
      h("button", { type: "button", class: "secondary", "aria-label": t("settings.unsubscribeFrom", { category: c }), onclick: async () => {
        if (await run(area, [], "mutation($c: String!) { unsubscribeFromCategory(category: $c) }", { c })) await render();
      } }, t("settings.unsubscribe")))))
      : h("p", {}, t("settings.noSubscriptions")),
    h("form", { class: "row", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (await run(area, [category], "mutation($c: String!) { subscribeToCategory(category: $c) }", { c: category.input.value })) await render();
    } }, category.wrap, h("button", { class: "primary", type: "submit" }, t("settings.subscribe"))), area);
}

async function ties(s, render) {
  const d = await gql("{ me { declaredTies { id name } } organizations { id name kind } }");
  const declared = d.me.declaredTies;
  const choices = d.organizations.filter((o) => o.id !== s.user.organization.id && o.kind !== "ADMINISTRATION" && !declared.some((x) => x.id === o.id));
  const org = field({ name: "organizationId", label: t("settings.organization"), type: "select", required: true,
    options: [["", t("work.choose")], ...choices.map((o) => [o.id, o.name])] });
  const area = formError();
  return h("section", {}, h("h2", {}, t("settings.ties")), h("p", { class: "hint" }, t("settings.tiesHint")),
    declared.length ? h("ul", { class: "cards", "aria-label": t("settings.ties") }, declared.map((o) => h("li", {}, o.name)))
      : h("p", {}, t("settings.noTies")),
    h("form", { class: "row", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (await run(area, [org], "mutation($o: ID!) { declareTie(organizationId: $o) { id } }", { o: org.input.value })) await render();
    } }, org.wrap, h("button", { class: "primary", type: "submit" }, t("settings.declare"))), area);
}

/** The language the user's notifications are written in (the server keeps it). */
async function language(render) {
  const d = await gql("{ me { language } }");
  const choice = field({ name: "language", label: t("settings.mailLanguage"), type: "select", required: true, value: d.me.language,
    options: [["FI", "suomi"], ["SV", "svenska"], ["EN", "English"]] });
  const area = formError();
  const done = h("p", { role: "status", "data-language-saved": "" });
  return h("section", {}, h("h2", {}, t("settings.language")), h("p", { class: "hint" }, t("settings.languageHint")),
    h("form", { class: "row", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (await run(area, [choice], "mutation($l: Language!) { setMyLanguage(language: $l) { language } }", { l: choice.input.value })) {
        await render();
        const status = document.querySelector("[data-language-saved]");
        if (status) status.textContent = t("settings.languageSaved");
      }
    } }, choice.wrap, h("button", { class: "primary", type: "submit" }, t("settings.saveLanguage"))), area, done);
}

/** The organisation's postal address, NUTS region and telephone: eForms notices name the
 *  buyer and the winner with them (the municipality's details stand in for what is blank). */
async function organizationDetails(render) {
  const d = await gql("{ me { organization { id name businessId streetAddress postalCode city nutsCode phone } } }");
  const o = d.me.organization;
  const fields = [
    field({ name: "streetAddress", label: t("org.streetAddress"), value: o.streetAddress ?? "", maxLength: 200 }),
    field({ name: "postalCode", label: t("org.postalCode"), value: o.postalCode ?? "", maxLength: 5, attrs: { inputmode: "numeric", autocomplete: "postal-code" } }),
    field({ name: "city", label: t("org.city"), value: o.city ?? "", maxLength: 100, attrs: { autocomplete: "address-level2" } }),
    field({ name: "nutsCode", label: t("org.nutsCode"), hint: t("org.nutsHint"), value: o.nutsCode ?? "", maxLength: 5 }),
    field({ name: "phone", label: t("org.phone"), type: "tel", value: o.phone ?? "", maxLength: 30, attrs: { autocomplete: "tel" } }),
    // An organisation made without a business ID is given one here, once.
    o.businessId ? null : field({ name: "businessId", label: t("account.businessId"), hint: t("org.businessIdHint"), maxLength: 9 }),
  ].filter(Boolean);
  const area = formError();
  return h("section", { "data-org-details": "" }, h("h2", {}, t("org.details", { name: o.name })), h("p", { class: "hint" }, t("org.detailsHint")),
    h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const input = Object.fromEntries(fields.map((f) => [f.name, f.input.value.trim()]));
      if (await run(area, fields, "mutation($o: ID!, $i: OrganizationDetailsInput!) { updateOrganizationDetails(organizationId: $o, input: $i) { id } }", { o: o.id, i: input })) {
        await render();
        const status = document.querySelector("[data-org-saved]");
        if (status) status.textContent = t("org.saved");
      }
    } }, ...fields.map((f) => f.wrap), area, h("button", { class: "primary", type: "submit" }, t("org.save"))),
    h("p", { role: "status", "data-org-saved": "" }));
}

/** #/settings */
export async function settings({ render }) {
  const s = signedIn();
  if (!s) return needLogin(t("nav.settings"), "/settings");
  const parts = [];
  if (isProducer(s)) parts.push(await subscriptions(render));
  if (isOrderer(s)) parts.push(await ties(s, render));
  parts.push(await language(render));
  parts.push(await organizationDetails(render));
  // Every signed-in user: the password.
  parts.push(h("section", {}, h("h2", {}, t("settings.password")),
    h("p", {}, h("a", { href: "#/account/password" }, t("settings.passwordLink")))));
  return h("section", {}, h("h1", {}, t("nav.settings")), ...parts);
}
