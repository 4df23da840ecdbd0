// The administration's pages and the password change in a real browser: organisations and
// their users (create, a wrong or taken business ID, a taken e-mail, disable with a
// confirmation, an administrator's own account refused), the product catalogue (errors beside
// fields, a taken code), grants on the budget page (a Finnish or English amount, a
// confirmation), and any user changing their password (a mismatch, a wrong current password,
// success with the session kept). Each run at a width and in a language; every state checked
// with axe-core and, at 390 px, that the page does not scroll sideways.
//
//   node admin-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, width, lang, L, tr, page, check, fail, heading, settle, narrow, rendered, navigate, login, signOut, done } = await statesJourney("admin", { exactHeadings: true });

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A field's label, whole: its text, and " (required)" after it when the field is required. */
const label = (key) => new RegExp(`^${escapeRe(L[key])}( \\(${escapeRe(L["form.required"])}\\))?$`);
/** A text of the language with its {count} as any number, as a whole-text pattern. */
const withCount = (key) => new RegExp(`^${escapeRe(L[key]).replace("\\{count\\}", "\\d+")}$`);

const sent = {};
page.on("request", (r) => {
  if (!r.url().includes("/graphql")) return;
  const m = /mutation[^{]*\{\s*(\w+)/.exec(JSON.parse(r.postData() || "{}").query || "");
  if (m) sent[m[1]] = (sent[m[1]] || 0) + 1;
});

/** A form of the page, found by the heading that labels it. */
const formOf = (id) => page.locator(`form[aria-labelledby="${id}"]`);

/** The fields marked invalid in `root`, each with the error shown beside it, and the focused field. */
async function errorsIn(root) {
  return root.evaluate((form) => {
    const out = {};
    for (const input of form.querySelectorAll("[aria-invalid=true]")) {
      out[input.name] = input.closest(".field")?.querySelector(".error")?.textContent ?? "";
    }
    return { errors: out, focused: document.activeElement?.name ?? null };
  });
}

/** Waits until `root` shows an error beside the field `name`; returns that error. */
async function errorBeside(root, name) {
  const error = root.locator(`.field:has([name="${name}"][aria-invalid=true]) .error`);
  await error.waitFor();
  return error.textContent();
}

/** The open confirmation dialog: focus inside it and the texts it must name; checked with axe. */
async function dialogWith(expected, name) {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  for (const text of expected) await dialog.getByText(text, { exact: false }).first().waitFor();
  const inside = await page.evaluate(() => Boolean(document.activeElement?.closest("dialog")));
  if (!inside) fail(`focus is not in the dialog ${name}`);
  await check(`confirmation: ${name}`);
  return dialog;
}

/** The header's height and whether every link of `keys` is shown (wide screens). */
async function header(keys) {
  const box = await page.locator("header.top").boundingBox();
  if (!narrow) {
    for (const key of keys) {
      const link = page.locator("header.top").getByRole("link", { name: L[key], exact: true });
      if (!(await link.isVisible())) fail(`${key} is not shown at ${width} px`);
    }
  }
  return box.height;
}

const journeys = {
  /** The administrator: organisations and users, products, grants. */
  async admin() {
    const out = {};
    await login(params.email, params.password);
    out.headerHeight = await header(["nav.organizations", "nav.products", "nav.budget", "nav.audit", "nav.notifications", "nav.settings"]);
    await check("calls, signed in as the administrator");
    if (narrow) {
      await page.getByRole("button", { name: L["nav.menu"] }).click();
      await page.locator("header.top").getByRole("link", { name: L["nav.organizations"], exact: true }).waitFor();
      await check("the administrator's menu open");
      await page.getByRole("button", { name: L["nav.menu"] }).click();
    }

    // Organisations, all and by kind.
    await navigate("nav.organizations");
    const orgTable = page.getByRole("table", { name: withCount("admin.organizations") });
    await orgTable.waitFor();
    await check("organisations");
    const filter = page.getByRole("search");
    await filter.getByLabel(L["admin.kindFilter"]).selectOption("ORDERER");
    await settle(() => filter.getByRole("button", { name: L["admin.filter"] }).click());
    await page.waitForFunction(() => location.hash.includes("kind=ORDERER"));
    out.orderersListed = await orgTable.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.children[1].textContent));
    await check("organisations of one kind");

    // A new organisation: name missing and a wrong check digit, both beside their fields, nothing sent.
    const orgForm = formOf("new-organization");
    await orgForm.getByLabel(label("admin.kind")).selectOption(params.org.kind);
    await orgForm.getByLabel(L["admin.businessId"]).fill(params.org.badBusinessId);
    out.liveBusinessIdError = await errorBeside(orgForm, "businessId");
    await orgForm.getByRole("button", { name: L["admin.createOrganization"] }).click();
    await errorBeside(orgForm, "name");
    out.orgClientErrors = await errorsIn(orgForm);
    out.orgSentAfterClientErrors = sent.createOrganization || 0;
    await check("new organisation, errors beside the name and the business ID");
    // A business ID registered already: the API's CONFLICT beside the field.
    await orgForm.getByLabel(label("admin.name")).fill(params.org.name);
    await orgForm.getByLabel(L["admin.businessId"]).fill(params.org.takenBusinessId);
    await orgForm.getByLabel(label("admin.email")).fill(params.org.email);
    await orgForm.getByRole("button", { name: L["admin.createOrganization"] }).click();
    out.takenBusinessIdError = await errorBeside(orgForm, "businessId");
    out.orgFocusAfterConflict = await page.evaluate(() => document.activeElement?.name);
    await check("new organisation, the business ID taken");
    await orgForm.getByLabel(L["admin.businessId"]).fill(params.org.businessId);
    await orgForm.getByRole("button", { name: L["admin.createOrganization"] }).click();
    await heading(params.org.name);
    out.orgNotice = await page.locator("[data-notice]").textContent();
    await check("the new organisation, no users yet");

    // A new user: three problems at once in the browser, then a taken e-mail from the API.
    const userForm = formOf("new-user");
    out.rolePreselected = await userForm.getByLabel(label("admin.role")).inputValue();
    await userForm.getByLabel(label("admin.role")).selectOption("ADMIN");
    await userForm.getByLabel(label("admin.email")).fill(params.user.email);
    await userForm.getByLabel(L["admin.initialPassword"]).fill("short");
    await userForm.getByRole("button", { name: L["admin.createUser"] }).click();
    await errorBeside(userForm, "name");
    out.userClientErrors = await errorsIn(userForm);
    out.userSentAfterClientErrors = sent.createUser || 0;
    await check("new user, three errors beside their fields");
    await userForm.getByLabel(label("admin.name")).fill(params.user.name);
    await userForm.getByLabel(label("admin.role")).selectOption(params.user.role);
    await userForm.getByLabel(L["admin.initialPassword"]).fill(params.user.password);
    await userForm.getByLabel(label("admin.email")).fill(params.user.takenEmail);
    await userForm.getByRole("button", { name: L["admin.createUser"] }).click();
    out.takenEmailError = await errorBeside(userForm, "email");
    out.userFocusAfterConflict = await page.evaluate(() => document.activeElement?.name);
    await check("new user, the e-mail taken");
    await userForm.getByLabel(label("admin.email")).fill(params.user.email);
    await settle(() => userForm.getByRole("button", { name: L["admin.createUser"] }).click());
    const userTable = page.getByRole("table", { name: tr("admin.users", { count: 1 }) });
    await userTable.getByRole("row").filter({ hasText: params.user.email }).waitFor();
    out.userNotice = await page.locator("[data-notice]").textContent();
    await check("the organisation with its user");

    // Disabling the user, after a confirmation (going back first changes nothing).
    const disable = page.getByRole("button", { name: tr("admin.disableUser", { name: params.user.name }) });
    await disable.click();
    let dialog = await dialogWith([L["admin.disableTitle"], params.user.email], "disable the user");
    await dialog.getByRole("button", { name: L["confirm.cancel"] }).click();
    await dialog.waitFor({ state: "detached" });
    out.disableSentAfterCancel = sent.setUserDisabled || 0;
    await disable.click();
    dialog = await dialogWith([L["admin.disableTitle"]], "disable the user again");
    await settle(() => dialog.getByRole("button", { name: L["admin.disable"], exact: true }).click());
    const row = userTable.getByRole("row").filter({ hasText: params.user.email });
    out.userStatus = await row.locator("[data-user-status]").getAttribute("data-user-status");
    await page.getByRole("button", { name: tr("admin.enableUser", { name: params.user.name }) }).waitFor();
    await check("the user disabled");

    // An administrator's own account: the API refuses, worded beside the list.
    await page.goto(`${base}/#/admin/organizations/${params.adminOrgId}`);
    await heading(params.adminOrgName);
    await page.getByRole("button", { name: tr("admin.disableUser", { name: params.adminName }) }).click();
    dialog = await dialogWith([L["admin.disableTitle"]], "disable oneself");
    await dialog.getByRole("button", { name: L["admin.disable"], exact: true }).click();
    const refusal = page.getByRole("alert").filter({ hasText: L["rule.OWN_ACCOUNT"] });
    await refusal.waitFor();
    out.ownAccountError = await refusal.textContent();
    await check("disabling oneself refused");

    // Products: three missing fields at once, then a taken code, then a new product.
    await navigate("nav.products");
    await check("product catalogue");
    const productForm = formOf("new-product");
    await productForm.getByLabel(label("admin.unit")).fill(params.product.unit);
    await productForm.getByLabel(label("admin.name")).fill("x".repeat(201));
    await productForm.getByRole("button", { name: L["admin.createProduct"] }).click();
    await errorBeside(productForm, "code");
    out.productClientErrors = await errorsIn(productForm);
    out.productSentAfterClientErrors = sent.createProduct || 0;
    await check("new product, errors beside their fields");
    await productForm.getByLabel(label("admin.code")).fill(params.product.takenCode);
    await productForm.getByLabel(label("admin.name")).fill(params.product.name);
    await productForm.getByLabel(label("admin.category")).fill(params.product.category);
    await productForm.getByLabel(L["admin.description"]).fill(params.product.description);
    await productForm.getByRole("button", { name: L["admin.createProduct"] }).click();
    out.takenCodeError = await errorBeside(productForm, "code");
    await check("new product, the code taken");
    await productForm.getByLabel(label("admin.code")).fill(params.product.code);
    await settle(() => productForm.getByRole("button", { name: L["admin.createProduct"] }).click());
    await page.getByRole("row").filter({ hasText: params.product.name }).first().waitFor();
    out.productNotice = await page.locator("[data-notice]").textContent();
    await check("the catalogue with the new product");
    const productSearch = page.getByRole("search");
    await productSearch.getByLabel(L["admin.category"]).selectOption(params.product.category);
    await settle(() => productSearch.getByRole("button", { name: L["admin.filter"] }).click());
    out.productsOfCategory = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.children[3].textContent));
    await check("the catalogue, one category");

    // A grant on the budget page: errors first, a confirmation gone back from, then recorded.
    await navigate("nav.budget");
    const grantForm = formOf("record-grant");
    await grantForm.getByLabel(L["budget.grantor"]).selectOption({ label: params.grant.orderer });
    await grantForm.getByLabel(L["budget.grantAmount"]).fill("0");
    await grantForm.getByRole("button", { name: L["budget.record"] }).click();
    await errorBeside(grantForm, "amount");
    out.grantClientErrors = await errorsIn(grantForm);
    await check("grant, errors beside the recipient and the amount");
    await grantForm.getByLabel(L["budget.recipient"]).selectOption({ label: params.grant.recipientOption });
    await grantForm.getByLabel(L["budget.grantYear"]).fill(String(params.grant.year));
    await grantForm.getByLabel(L["budget.grantAmount"]).fill(params.grant.amountTyped);
    await grantForm.getByRole("button", { name: L["budget.record"] }).click();
    dialog = await dialogWith([L["budget.confirmGrant"], params.grant.amountShown, params.grant.recipient], "record the grant");
    out.grantDialog = await dialog.locator("dl").innerText();
    await dialog.getByRole("button", { name: L["confirm.cancel"] }).click();
    await dialog.waitFor({ state: "detached" });
    out.grantSentAfterCancel = sent.recordGrant || 0;
    await grantForm.getByRole("button", { name: L["budget.record"] }).click();
    dialog = await dialogWith([L["budget.confirmGrant"]], "record the grant again");
    await settle(() => dialog.getByRole("button", { name: L["budget.record"] }).click());
    await page.waitForFunction((y) => location.hash.includes(`year=${y}`) || document.querySelector("[data-notice]"), params.grant.year);
    const grants = page.getByRole("table", { name: tr("budget.grants", { year: params.grant.year }) });
    await grants.getByRole("row").filter({ hasText: params.grant.recipient }).filter({ hasText: params.grant.amountShown }).first().waitFor();
    out.grantNotice = await page.locator("[data-notice]").textContent();
    await check("the grant recorded and listed");
    out.sent = sent;
    return out;
  },

  /** Any signed-in user changes their password and stays signed in. */
  async password() {
    const out = {};
    await login(params.email, params.password);
    await navigate("nav.settings");
    await page.getByRole("link", { name: L["settings.passwordLink"] }).click();
    await heading(L["account.passwordTitle"]);
    out.tokenBefore = await page.evaluate(() => JSON.parse(sessionStorage.getItem("kilpailutus.session")).token);
    await check("change password");
    const current = page.getByLabel(L["account.currentPassword"]);
    const fresh = page.getByLabel(label("account.newPassword"));
    const repeat = page.getByLabel(L["account.repeatPassword"]);
    const submit = page.getByRole("button", { name: L["account.changePassword"] });
    const form = page.locator("main form");
    // The repeat does not match and the new one is short: beside each, nothing sent.
    await current.fill("not-my-password");
    await fresh.fill("short");
    await repeat.fill(`${params.newPassword}x`);
    await submit.click();
    await errorBeside(form, "repeatPassword");
    out.clientErrors = await errorsIn(form);
    out.sentAfterClientErrors = sent.changePassword || 0;
    await check("change password, the new one too short and not repeated");
    // A wrong current password: beside its field, and the session goes on.
    await fresh.fill(params.newPassword);
    await repeat.fill(params.newPassword);
    await submit.click();
    out.wrongCurrentError = await errorBeside(form, "currentPassword");
    out.focusAfterWrong = await page.evaluate(() => document.activeElement?.name);
    out.stillSignedIn = await page.evaluate(() => Boolean(sessionStorage.getItem("kilpailutus.session")) && location.hash === "#/account/password");
    await check("change password, the current one wrong");
    await current.fill(params.password);
    await submit.click();
    const done = page.locator("[data-password-changed]");
    await done.getByText(L["account.passwordChanged"]).waitFor();
    out.tokenAfter = await page.evaluate(() => JSON.parse(sessionStorage.getItem("kilpailutus.session")).token);
    out.fieldsCleared = await form.evaluate((f) => [...f.querySelectorAll("input")].every((i) => i.value === ""));
    await check("password changed");
    // The session goes on with the fresh token: a page that needs it loads.
    await navigate("nav.notifications");
    out.signedInAfter = await page.evaluate(() => Boolean(sessionStorage.getItem("kilpailutus.session")));
    out.who = await page.locator("header.top .who").innerText();
    await check("notifications after the change");
    out.sent = sent;
    return out;
  },
};

await done(journeys, ["Failed to load resource"]);
