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
import * as inhouse from "./pages/inhouse.js";

const routes = [
  [/^\/?$/, pub.calls],
  [/^\/calls$/, pub.calls],
  [/^\/calls\/([\w-]+)$/, pub.call],
  [/^\/login$/, account.login],
  [/^\/register$/, account.register],
  [/^\/my-bids$/, provider.myBids],
  [/^\/benchmark$/, inhouse.benchmark],
  [/^\/orderer$/, orderer.calls],
  [/^\/orderer\/new$/, orderer.newCall],
  [/^\/orderer\/calls\/([\w-]+)$/, orderer.manage],
  [/^\/contracts\/([\w-]+)$/, orderer.contract],
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

function nav() {
  const s = session();
  const link = (href, key) => h("a", { href: `#${href}` }, t(key));
  const items = [link("/calls", "nav.calls")];
  if (!s) {
    items.push(link("/login", "nav.login"), link("/register", "nav.register"));
  } else {
    if (s.user.role === "PRODUCER") items.push(link("/my-bids", "nav.myBids"));
    if (s.user.organization?.kind === "IN_HOUSE_PRODUCER") items.push(link("/benchmark", "nav.benchmark"));
    if (s.user.role === "ORDERER") items.push(link("/orderer", "nav.ordererCalls"), link("/orderer/new", "nav.newCall"));
    items.push(link("/notifications", "nav.notifications"));
    items.push(h("span", { class: "muted-on-brand" }, `${s.user.name} · ${s.user.organization?.name ?? ""}`));
    items.push(h("button", { class: "link", type: "button", onclick: logout }, t("nav.logout")));
  }
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
window.addEventListener("session-expired", () => {
  const { path } = parseHash();
  if (path !== "/login") location.hash = `/login?expired=1&next=${encodeURIComponent(path)}`;
});

await load(preferred());
render();
