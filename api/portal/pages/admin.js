// The administration's pages: organisations (a list by kind and a form to create one), one
// organisation's users (a page at a time, a form to create one, disabling and enabling with a
// confirmation), and the product catalogue (a list by category and a form to add a product).
// The API decides who may do what; these pages only show an administrator the way.
import { gql } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { field, formError, check, showErrors, clearErrors, setFieldError } from "../forms.js";
import { table, signedIn, needLogin, isAdmin } from "./kit.js";
import { businessIdProblem, businessIdRule, emailRule } from "./account.js";
import { confirmDialog } from "./public.js";

const KINDS = ["ADMINISTRATION", "ORDERER", "IN_HOUSE_PRODUCER", "EXTERNAL_PROVIDER"];
const ROLES = ["ADMIN", "ORDERER", "PRODUCER"];
/** The role a user of an organisation of this kind holds (the API's rule, checked there too). */
const ROLE_FOR_KIND = { ADMINISTRATION: "ADMIN", ORDERER: "ORDERER", IN_HOUSE_PRODUCER: "PRODUCER", EXTERNAL_PROVIDER: "PRODUCER" };
/** Users on one page of an organisation's list (the API allows up to 200). */
const USERS_PAGE = 50;

// A sentence to show once on the next rendering, after a change succeeded ("The user … was
// created."): the page is drawn again from the API, and the sentence with it.
let notice = null;
function takeNotice() {
  const text = notice;
  notice = null;
  return text ? h("p", { class: "ok", role: "status", "data-notice": "" }, text) : null;
}

/** An optional field's own check, run only when something was typed. */
const ifGiven = (rule) => (v) => (v.trim() ? rule(v) : null);

/** The page for a user who is not an administrator. */
function notAdmin(title, next) {
  return needLogin(title, next);
}

/** Runs a mutation for a form: errors beside its fields (or in its area), else `then(data)`. */
async function submit(fields, area, query, variables, then) {
  clearErrors(fields, area);
  try {
    const d = await gql(query, variables);
    await then(d);
  } catch (err) {
    showErrors(err, fields, area);
  }
}

/** #/admin/organizations?kind=KIND */
export async function organizations({ params, go }) {
  if (!signedIn(isAdmin)) return notAdmin(t("nav.organizations"), "/admin/organizations");
  const kind = KINDS.includes(params.get("kind")) ? params.get("kind") : null;
  const d = await gql("query($k: OrganizationKind) { organizations(kind: $k) { id name kind businessId email } }", { k: kind });
  const said = takeNotice();

  const filter = field({ name: "kind", label: t("admin.kindFilter"), type: "select", value: kind ?? "",
    options: [["", t("admin.allKinds")], ...KINDS.map((k) => [k, t(`kind.${k}`)])] });
  const filterForm = h("form", { class: "row", role: "search", "aria-label": t("admin.kindFilter"), onsubmit: (e) => {
    e.preventDefault();
    go(filter.input.value ? `/admin/organizations?kind=${filter.input.value}` : "/admin/organizations");
  } }, filter.wrap, h("button", { class: "secondary", type: "submit" }, t("admin.filter")));

  const list = d.organizations.length ? table({
    caption: t("admin.organizations", { count: d.organizations.length }),
    columns: [[t("admin.name")], [t("admin.kind")], [t("admin.businessId")], [t("admin.email")]],
    rows: d.organizations.map((o) => [h("a", { href: `#/admin/organizations/${o.id}` }, o.name), t(`kind.${o.kind}`), o.businessId ?? "–", o.email ?? "–"]),
  }) : h("p", {}, t("admin.noOrganizations"));

  // The new organisation: its business ID checked as it is typed, like the registration's.
  const name = field({ name: "name", label: t("admin.name"), required: true, maxLength: 200, attrs: { autocomplete: "organization" } });
  const kindField = field({ name: "kind", label: t("admin.kind"), type: "select", required: true, value: kind ?? "",
    options: [["", t("work.choose")], ...KINDS.map((k) => [k, t(`kind.${k}`)])] });
  const businessId = field({ name: "businessId", label: t("admin.businessId"), hint: t("admin.businessIdHint"), validate: ifGiven(businessIdRule), attrs: { inputmode: "numeric" } });
  const email = field({ name: "email", label: t("admin.email"), type: "email", hint: t("admin.optional"), validate: ifGiven(emailRule), maxLength: 254 });
  businessId.input.addEventListener("input", () => {
    const v = businessId.input.value;
    const problem = v.trim().length >= 9 ? businessIdProblem(v) : null;
    setFieldError(businessId, problem ? t(`account.businessId.${problem}`) : null);
  });
  const fields = [name, kindField, businessId, email];
  const area = formError();
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "new-organization", onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    const optional = (f) => f.input.value.trim() || null;
    await submit(fields, area, "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id name } }", { i: {
      name: name.input.value.trim(), kind: kindField.input.value, businessId: optional(businessId), email: optional(email) } },
    (r) => {
      notice = t("admin.organizationCreated", { name: r.createOrganization.name });
      go(`/admin/organizations/${r.createOrganization.id}`);
    });
  } }, h("h2", { id: "new-organization" }, t("admin.newOrganization")), ...fields.map((f) => f.wrap), area,
  h("div", {}, h("button", { class: "primary", type: "submit" }, t("admin.createOrganization"))));

  return h("section", {}, h("h1", {}, t("nav.organizations")), said, filterForm, list, form);
}

/** #/admin/organizations/<id>?after=<cursor> */
export async function organization({ args, params, render, go }) {
  const id = args[0];
  if (!signedIn(isAdmin)) return notAdmin(t("nav.organizations"), `/admin/organizations/${id}`);
  const after = params.get("after");
  const d = await gql(`query($o: ID!, $n: Int, $a: String) {
    organizations { id name kind businessId email }
    users(organizationId: $o, first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { id name email role disabled } } }
  }`, { o: id, n: USERS_PAGE, a: after });
  const org = d.organizations.find((o) => o.id === id);
  if (!org) return h("section", {}, h("h1", {}, t("page.notFound")), h("p", {}, h("a", { href: "#/admin/organizations" }, t("admin.allOrganizations"))));
  const said = takeNotice();
  const users = d.users.edges.map((e) => e.node);
  const here = `/admin/organizations/${id}`;

  // Disabling or enabling a user, after a confirmation; the API refuses an administrator's
  // own account, and its rule is worded in the area above the list.
  const actionArea = formError();
  const toggle = (u) => h("button", { type: "button", class: u.disabled ? "secondary" : "danger",
    "aria-label": t(u.disabled ? "admin.enableUser" : "admin.disableUser", { name: u.name }),
    onclick: async () => {
      const disabling = !u.disabled;
      const sure = await confirmDialog({
        title: t(disabling ? "admin.disableTitle" : "admin.enableTitle"),
        intro: t(disabling ? "admin.disableIntro" : "admin.enableIntro"),
        confirm: t(disabling ? "admin.disable" : "admin.enable"),
        summary: [[t("admin.name"), u.name], [t("admin.email"), u.email], [t("admin.role"), t(`role.${u.role}`)]],
      });
      if (!sure) return;
      await submit([], actionArea, "mutation($u: ID!, $d: Boolean!) { setUserDisabled(userId: $u, disabled: $d) { id disabled } }",
        { u: u.id, d: disabling }, async () => {
          notice = t(disabling ? "admin.userDisabled" : "admin.userEnabled", { name: u.name });
          await render();
        });
    } }, t(u.disabled ? "admin.enable" : "admin.disable"));

  const list = users.length ? table({
    caption: t("admin.users", { count: d.users.totalCount }),
    columns: [[t("admin.name")], [t("admin.email")], [t("admin.role")], [t("admin.status")], [t("admin.action")]],
    rows: users.map((u) => [u.name, u.email, t(`role.${u.role}`),
      h("span", { class: u.disabled ? "badge warn" : "badge", "data-user-status": u.disabled ? "disabled" : "active" }, t(u.disabled ? "admin.disabled" : "admin.active")),
      toggle(u)]),
  }) : h("p", {}, t("admin.noUsers"));
  const pager = (after || d.users.pageInfo.hasNextPage) ? h("nav", { class: "pager", "aria-label": t("admin.pages") },
    after ? h("a", { href: `#${here}` }, t("admin.firstPage")) : null,
    d.users.pageInfo.hasNextPage ? h("a", { href: `#${here}?after=${encodeURIComponent(d.users.pageInfo.endCursor)}` }, t("admin.nextPage")) : null) : null;

  // The new user: the role preselected from the organisation's kind, and checked against it.
  const fitting = ROLE_FOR_KIND[org.kind];
  const name = field({ name: "name", label: t("admin.name"), required: true, maxLength: 200, attrs: { autocomplete: "off" } });
  const email = field({ name: "email", label: t("admin.email"), type: "email", required: true, validate: emailRule, maxLength: 254, attrs: { autocomplete: "off" } });
  const role = field({ name: "role", label: t("admin.role"), type: "select", required: true, value: fitting,
    hint: t("admin.roleHint", { role: t(`role.${fitting}`) }),
    options: ROLES.map((r) => [r, t(`role.${r}`)]),
    validate: (v) => (v !== fitting ? { rule: "ROLE_FOR_KIND", params: { kind: org.kind, role: fitting } } : null) });
  const password = field({ name: "password", label: t("admin.initialPassword"), type: "password", required: true, hint: t("admin.initialPasswordHint"),
    validate: (v) => (v.length < 8 ? { rule: "TOO_SHORT", params: { min: 8 } } : v.length > 256 ? { rule: "TOO_LONG", params: { max: 256 } } : null),
    attrs: { autocomplete: "new-password" } });
  const fields = [name, email, role, password];
  const area = formError();
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "new-user", onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    await submit(fields, area, "mutation($i: CreateUserInput!) { createUser(input: $i) { id name } }", { i: {
      name: name.input.value.trim(), email: email.input.value.trim(), role: role.input.value, password: password.input.value, organizationId: org.id } },
    async (r) => {
      notice = t("admin.userCreated", { name: r.createUser.name });
      if (after) go(here);
      else await render();
    });
  } }, h("h2", { id: "new-user" }, t("admin.newUser")), ...fields.map((f) => f.wrap), area,
  h("div", {}, h("button", { class: "primary", type: "submit" }, t("admin.createUser"))));

  return h("section", {}, h("h1", {}, org.name),
    h("p", {}, h("a", { href: "#/admin/organizations" }, t("admin.allOrganizations"))),
    said,
    h("h2", {}, t("admin.details")),
    h("dl", { class: "figures" },
      h("dt", {}, t("admin.kind")), h("dd", {}, t(`kind.${org.kind}`)),
      h("dt", {}, t("admin.businessId")), h("dd", {}, org.businessId ?? "–"),
      h("dt", {}, t("admin.email")), h("dd", {}, org.email ?? "–")),
    actionArea, list, pager, form);
}

/** #/admin/products?category=CATEGORY */
export async function products({ params, go, render }) {
  if (!signedIn(isAdmin)) return notAdmin(t("nav.products"), "/admin/products");
  const category = params.get("category") || null;
  const d = await gql("query($c: String) { all: products { category } products(category: $c) { id code name unit category description cpvCode serviceKind } }", { c: category });
  const said = takeNotice();
  const categories = [...new Set(d.all.map((p) => p.category))].sort((a, b) => a.localeCompare(b));

  const filter = field({ name: "category", label: t("admin.category"), type: "select", value: category ?? "",
    options: [["", t("admin.allCategories")], ...categories.map((c) => [c, c])] });
  const filterForm = h("form", { class: "row", role: "search", "aria-label": t("admin.category"), onsubmit: (e) => {
    e.preventDefault();
    go(filter.input.value ? `/admin/products?category=${encodeURIComponent(filter.input.value)}` : "/admin/products");
  } }, filter.wrap, h("button", { class: "secondary", type: "submit" }, t("admin.filter")));

  const list = d.products.length ? table({
    caption: t("admin.products", { count: d.products.length }),
    columns: [[t("admin.code")], [t("admin.name")], [t("admin.unit")], [t("admin.category")], [t("admin.cpvCode")], [t("admin.serviceKind")], [t("admin.description")]],
    rows: d.products.map((p) => [p.code, p.name, p.unit, p.category, p.cpvCode ?? "–", t(`serviceKind.${p.serviceKind}`), p.description ?? "–"]),
  }) : h("p", {}, t("admin.noProducts"));

  // The new product; the category offers the catalogue's categories and takes a new one.
  const code = field({ name: "code", label: t("admin.code"), hint: t("admin.codeHint"), required: true, maxLength: 50, attrs: { autocomplete: "off" } });
  const name = field({ name: "name", label: t("admin.name"), required: true, maxLength: 200, attrs: { autocomplete: "off" } });
  const unit = field({ name: "unit", label: t("admin.unit"), hint: t("admin.unitHint"), required: true, maxLength: 50, attrs: { autocomplete: "off" } });
  const cat = field({ name: "category", label: t("admin.category"), hint: t("admin.categoryHint"), required: true, maxLength: 100, value: category ?? "",
    attrs: { list: "product-categories", autocomplete: "off" } });
  const description = field({ name: "description", label: t("admin.description"), type: "textarea", hint: t("admin.optional"), maxLength: 4000 });
  const cpv = field({ name: "cpvCode", label: t("admin.cpvCode"), hint: t("admin.cpvCodeHint"), maxLength: 10, attrs: { autocomplete: "off", inputmode: "numeric" },
    validate: (v) => (/^\d{8}-\d$/.test(v.trim()) ? null : { rule: "CPV_FORMAT", params: {} }) });
  const kind = field({ name: "serviceKind", label: t("admin.serviceKind"), type: "select", value: "GENERAL",
    options: ["GENERAL", "SOCIAL_AND_HEALTH", "OTHER_SPECIFIC"].map((k) => [k, t(`serviceKind.${k}`)]) });
  const fields = [code, name, unit, cat, cpv, kind, description];
  const area = formError();
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "new-product", onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    await submit(fields, area, "mutation($i: ProductInput!) { createProduct(input: $i) { id code name category } }", { i: {
      code: code.input.value.trim(), name: name.input.value.trim(), unit: unit.input.value.trim(), category: cat.input.value.trim(),
      description: description.input.value.trim() || null, cpvCode: cpv.input.value.trim() || null, serviceKind: kind.input.value } },
    async (r) => {
      const p = r.createProduct;
      notice = t("admin.productCreated", { code: p.code, name: p.name });
      if (category && category !== p.category) go(`/admin/products?category=${encodeURIComponent(p.category)}`);
      else await render();
    });
  } }, h("h2", { id: "new-product" }, t("admin.newProduct")), ...fields.map((f) => f.wrap),
  h("datalist", { id: "product-categories" }, categories.map((c) => h("option", { value: c }))),
  area, h("div", {}, h("button", { class: "primary", type: "submit" }, t("admin.createProduct"))));

  return h("section", {}, h("h1", {}, t("nav.products")), said, filterForm, list, form);
}
