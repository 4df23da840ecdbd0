// The portal: a client of the GraphQL API like any other. Pages are addressed by the URL's
// fragment (#/calls/<id>), so every page has its own URL and the server serves one file.
import { load, preferred, t, LANGUAGES, current } from "./i18n.js";
import { session, clearSession, gql } from "./api.js";
import { h } from "./dom.js";
import * as pub from "./pages/public.js";
import * as account from "./pages/account.js";
import * as provider from "./pages/provider.js";
import * as notifications from "./pages/notifications.js";
import * as orderer from "./pages/orderer.js";
import * as report from "./pages/report.js";
import * as inhouse from "./pages/inhouse.js";
import * as contracts from "./pages/contracts.js";
import * as budget from "./pages/budget.js";
import * as audit from "./pages/audit.js";
import * as settings from "./pages/settings.js";
import * as admin from "./pages/admin.js";

const routes = [
  [/^\/?$/, pub.calls],
  [/^\/calls$/, pub.calls],
  [/^\/calls\/([\w-]+)$/, pub.call],
  [/^\/login$/, account.login],
  [/^\/register$/, account.register],
  [/^\/account\/password$/, account.changePassword],
  [/^\/my-bids$/, provider.myBids],
  [/^\/benchmark$/, inhouse.benchmark],
  [/^\/orderer$/, orderer.calls],
  [/^\/orderer\/new$/, orderer.newCall],
  [/^\/orderer\/calls\/([\w-]+)$/, orderer.manage],
  [/^\/orderer\/calls\/([\w-]+)\/report$/, report.report],
  [/^\/contracts\/direct$/, contracts.direct],
  [/^\/contracts\/([\w-]+)\/amend$/, contracts.amend],
  [/^\/contracts\/([\w-]+)$/, orderer.contract],
  [/^\/my-contracts$/, contracts.mine],
  [/^\/my-contracts\/([\w-]+)\/report$/, contracts.report],
  [/^\/budget$/, budget.budget],
  [/^\/audit$/, audit.audit],
  [/^\/settings$/, settings.settings],
  [/^\/admin\/organizations$/, admin.organizations],
  [/^\/admin\/organizations\/([\w-]+)$/, admin.organization],
  [/^\/admin\/products$/, admin.products],
  [/^\/notifications$/, notifications.list],
];

export function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  return { path, params: new URLSearchParams(query) };
}

// Revokes the session's token on the server (all of the user's tokens) before forgetting it;
// the token is forgotten even when the server cannot be reached.
async function logout() {
  await gql("mutation { logout }").catch(() => {});
  clearSession();
  go("/login");
}

// The header: the brand, a menu button (shown on narrow screens only, by the style sheet)
// and the menu with the navigation and the language switch, which it opens and closes.
function header() {
  const top = document.querySelector("header.top");
  let menu = document.getElementById("menu");
  if (!menu) {
    menu = h("div", { id: "menu", class: "menu" });
    const toggle = h("button", { type: "button", class: "menu-toggle", id: "menu-toggle", "aria-expanded": "false", "aria-controls": "menu",
      onclick: () => setMenu(toggle.getAttribute("aria-expanded") !== "true") });
    menu.append(document.getElementById("nav"), document.getElementById("lang"));
    top.append(toggle, menu);
    top.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setMenu(false);
        toggle.focus();
      }
    });
  }
  document.getElementById("menu-toggle").textContent = t("nav.menu");
}

function setMenu(open) {
  document.getElementById("menu-toggle").setAttribute("aria-expanded", String(open));
  document.querySelector("header.top").classList.toggle("open", open);
}

function nav() {
  header();
  const s = session();
  // A link whose label has a short form (nav.short.*, whole words of the label, each language
  // listing every link's short form) shows it on wide screens, where the
  // orderer's many links must fit on one line; its name stays the full label (aria-label,
  // and a tooltip), and the open menu of narrow screens shows the full label.
  const link = (href, key) => {
    const short = t(`nav.short.${key.slice(4)}`);
    if (short === `nav.short.${key.slice(4)}` || short === t(key)) return h("a", { href: `#${href}` }, t(key));
    return h("a", { href: `#${href}`, "aria-label": t(key), title: t(key) },
      h("span", { class: "nav-short" }, short), h("span", { class: "nav-full" }, t(key)));
  };
  const items = [link("/calls", "nav.calls")];
  if (!s) {
    items.push(link("/login", "nav.login"), link("/register", "nav.register"));
  } else {
    const role = s.user.role;
    if (role === "PRODUCER") items.push(link("/my-bids", "nav.myBids"), link("/my-contracts", "nav.myContracts"));
    if (s.user.organization?.kind === "IN_HOUSE_PRODUCER") items.push(link("/benchmark", "nav.benchmark"));
    if (role === "ORDERER") {
      items.push(link("/orderer", "nav.ordererCalls"), link("/orderer/new", "nav.newCall"), link("/contracts/direct", "nav.directContract"));
    }
    if (role === "ADMIN") items.push(link("/admin/organizations", "nav.organizations"), link("/admin/products", "nav.products"));
    if (role === "ORDERER" || role === "ADMIN") items.push(link("/budget", "nav.budget"), link("/audit", "nav.audit"));
    items.push(link("/notifications", "nav.notifications"));
    // Settings (the password among them) for every signed-in user.
    items.push(link("/settings", "nav.settings"));
    // Who is signed in: the name above the organisation, in small type, to keep one line.
    items.push(h("span", { class: "muted-on-brand who" }, h("span", {}, s.user.name),
      h("span", {}, h("span", { class: "visually-hidden" }, " · "), s.user.organization?.name ?? "")));
    items.push(h("button", { class: "link", type: "button", onclick: logout }, t("nav.logout")));
  }
  const here = `#${parseHash().path}`;
  for (const a of items) if (a.tagName === "A" && a.getAttribute("href") === here) a.setAttribute("aria-current", "page");
  document.getElementById("nav").replaceChildren(...items);
  document.getElementById("brand").textContent = t("app.name");
  document.querySelector(".skip").textContent = t("app.skip");
  document.getElementById("lang").replaceChildren(
    ...LANGUAGES.map((l) => h("button", {
      type: "button", lang: l, "aria-pressed": String(l === current()),
      onclick: async () => { await load(l); render(); },
    }, l.toUpperCase())),
  );
}

/**
 * Every data cell names its column (data-label), so narrow screens can show rows as lists;
 * the explicit roles keep the table a table for screen readers when the style sheet makes
 * its parts blocks (browsers drop table semantics with `display: block`).
 */
function labelCells(root) {
  const role = (el, r) => { if (!el.hasAttribute("role")) el.setAttribute("role", r); };
  for (const table of root.querySelectorAll("table")) {
    role(table, "table");
    for (const group of table.querySelectorAll("thead, tbody, tfoot")) role(group, "rowgroup");
    for (const row of table.querySelectorAll("tr")) role(row, "row");
    for (const th of table.querySelectorAll("th")) role(th, th.getAttribute("scope") === "row" || th.closest("tbody") ? "rowheader" : "columnheader");
    for (const td of table.querySelectorAll("td")) role(td, "cell");
    const heads = [...table.querySelectorAll("thead tr:last-child th")].map((th) => th.textContent.trim());
    if (!heads.length) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (!cell.hasAttribute("data-label") && heads[i]) cell.setAttribute("data-label", heads[i]);
      });
    }
  }
}

let rendering = 0;
export async function render() {
  const ticket = ++rendering;
  nav();
  const { path, params } = parseHash();
  const main = document.getElementById("main");
  const route = routes.find(([re]) => re.test(path));
  let content;
  try {
    content = route ? await route[1]({ params, args: path.match(route[0]).slice(1), go, render }) : pub.notFound();
  } catch (err) {
    content = pub.failed(err);
  }
  if (ticket !== rendering) return; // a newer navigation won
  main.replaceChildren(content);
  setMenu(false);
  // A counter of finished renders: scripts (and the browser tests) can tell a page is ready.
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} – ${t("app.name")}` : t("app.name");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
}

export function flash(text) {
  const area = document.getElementById("flash");
  const p = h("p", {}, text);
  area.replaceChildren(p);
  setTimeout(() => p.remove(), 6000);
}

window.addEventListener("hashchange", render);
// Tables added later (a panel loaded after the page) get their labels too.
new MutationObserver(() => labelCells(document.getElementById("main")))
  .observe(document.getElementById("main"), { childList: true, subtree: true });
window.addEventListener("session-expired", () => {
  const { path } = parseHash();
  if (path !== "/login") location.hash = `/login?expired=1&next=${encodeURIComponent(path)}`;
});

await load(preferred());
render();
