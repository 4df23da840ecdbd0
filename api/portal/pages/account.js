// Logging in, registering an external provider, and changing one's password.
import { gql, saveSession, session } from "../api.js";
import { h } from "../dom.js";
import { t, current } from "../i18n.js";
import { field, formError, showErrors, setFieldError, check } from "../forms.js";

const USER = "token user { id name email role organization { id name kind } }";

/** The Finnish business ID check (Y-tunnus): 7 digits, a hyphen, a mod-11 check digit. */
export function businessIdProblem(text) {
  const s = text.trim();
  if (!/^\d{7}-\d$/.test(s)) return "format";
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  const r = sum % 11;
  if (r === 1) return "checksum";
  const check = r === 0 ? 0 : 11 - r;
  return check === Number(s[8]) ? null : "checksum";
}

/** The business ID's problem as the API's rule code: FORMAT, or CHECK_DIGIT with the right digit. */
export function businessIdRule(text) {
  const s = text.trim();
  const problem = businessIdProblem(s);
  if (problem === "format") return { rule: "FORMAT", params: { example: "1234567-8" } };
  if (problem !== "checksum") return null;
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const r = weights.reduce((acc, w, i) => acc + w * Number(s[i]), 0) % 11;
  return r === 1 ? { rule: "CHECK_DIGIT_IMPOSSIBLE", params: {} } : { rule: "CHECK_DIGIT", params: { expected: String(r === 0 ? 0 : 11 - r) } };
}

export const emailRule = (v) => (/^[^@\s]+@[^@\s.][^@\s]*$/.test(v.trim()) ? null : { rule: "EMAIL", params: {} });

function afterLogin(params, go) {
  const next = params.get("next");
  go(next && next.startsWith("/") && !next.startsWith("/login") ? next : "/calls");
}

export async function login({ params, go }) {
  const email = field({ name: "email", label: t("account.email"), type: "email", required: true, attrs: { autocomplete: "username" } });
  const password = field({ name: "password", label: t("account.password"), type: "password", required: true, attrs: { autocomplete: "current-password" } });
  const area = formError();
  const fields = [email, password];
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    try {
      const d = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${USER} } }`,
        { e: email.input.value.trim(), p: password.input.value });
      saveSession(d.login);
      afterLogin(params, go);
    } catch (err) {
      showErrors(err, fields, area);
    }
  } }, email.wrap, password.wrap, area, h("button", { class: "primary", type: "submit" }, t("account.login")));
  return h("section", {},
    h("h1", {}, t("account.loginTitle")),
    params.get("expired") ? h("p", { class: "error", role: "alert" }, t("account.expired")) : null,
    form,
    h("p", {}, t("account.noAccount"), " ", h("a", { href: "#/register" }, t("account.registerLink"))));
}

export async function register({ params, go }) {
  const org = field({ name: "organizationName", label: t("account.organizationName"), required: true, maxLength: 200, attrs: { autocomplete: "organization" } });
  const bid = field({ name: "businessId", label: t("account.businessId"), hint: t("account.businessIdHint"), required: true, validate: businessIdRule, attrs: { inputmode: "numeric" } });
  const name = field({ name: "name", label: t("account.name"), required: true, maxLength: 200, attrs: { autocomplete: "name" } });
  const email = field({ name: "email", label: t("account.email"), type: "email", required: true, validate: emailRule, attrs: { autocomplete: "email" } });
  const password = field({ name: "password", label: t("account.password"), type: "password", hint: t("account.passwordHint"), required: true,
    validate: (v) => (v.length < 8 ? { rule: "TOO_SHORT", params: { min: 8 } } : null), attrs: { autocomplete: "new-password" } });
  // The language the provider's e-mails are written in: the portal's own unless chosen.
  const language = field({ name: "language", label: t("account.language"), hint: t("account.languageHint"), type: "select", value: current().toUpperCase(),
    options: [["FI", "suomi"], ["SV", "svenska"], ["EN", "English"]] });
  const fields = [org, bid, name, email, password, language];
  const area = formError();
  bid.input.addEventListener("input", () => {
    const v = bid.input.value;
    const problem = v.trim().length >= 9 ? businessIdProblem(v) : null;
    setFieldError(bid, problem ? t(`account.businessId.${problem}`) : null);
  });
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!check(fields, area)) return;
    try {
      const d = await gql(`mutation($i: RegisterProviderInput!) { registerProvider(input: $i) { ${USER} } }`, { i: {
        organizationName: org.input.value.trim(), businessId: bid.input.value.trim(), name: name.input.value.trim(),
        email: email.input.value.trim(), password: password.input.value, language: language.input.value } });
      saveSession(d.registerProvider);
      afterLogin(params, go);
    } catch (err) {
      showErrors(err, fields, area);
    }
  } }, ...fields.map((f) => f.wrap), area, h("button", { class: "primary", type: "submit" }, t("account.register")));
  return h("section", {}, h("h1", {}, t("account.registerTitle")), h("p", {}, t("account.registerIntro")), form);
}

/**
 * #/account/password: the signed-in user changes their password. The answer carries a fresh
 * token (every earlier one is revoked), which replaces the session's, so the user stays
 * signed in here; a wrong current password is shown beside its field.
 */
export async function changePassword() {
  const s = session();
  if (!s) {
    return h("section", {}, h("h1", {}, t("account.passwordTitle")),
      h("p", {}, h("a", { href: `#/login?next=${encodeURIComponent("/account/password")}` }, t("work.needLogin"))));
  }
  const atLeast8 = (v) => (v.length < 8 ? { rule: "TOO_SHORT", params: { min: 8 } } : v.length > 256 ? { rule: "TOO_LONG", params: { max: 256 } } : null);
  const current = field({ name: "currentPassword", label: t("account.currentPassword"), type: "password", required: true, attrs: { autocomplete: "current-password" } });
  const fresh = field({ name: "newPassword", label: t("account.newPassword"), type: "password", hint: t("account.passwordHint"), required: true,
    validate: atLeast8, attrs: { autocomplete: "new-password" } });
  const repeat = field({ name: "repeatPassword", label: t("account.repeatPassword"), type: "password", required: true,
    validate: (v) => (v !== fresh.input.value ? { rule: "MISMATCH", params: {} } : null), attrs: { autocomplete: "new-password" } });
  const fields = [current, fresh, repeat];
  const area = formError();
  const done = h("p", { class: "ok", role: "status", tabindex: "-1", "data-password-changed": "" });
  const form = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    done.replaceChildren();
    if (!check(fields, area)) return;
    try {
      const d = await gql(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { ${USER} } }`,
        { c: current.input.value, n: fresh.input.value });
      saveSession(d.changePassword);
      for (const f of fields) f.input.value = "";
      done.textContent = t("account.passwordChanged");
      done.focus();
    } catch (err) {
      showErrors(err, fields, area);
    }
  } }, ...fields.map((f) => f.wrap), area, h("div", {}, h("button", { class: "primary", type: "submit" }, t("account.changePassword"))));
  return h("section", {}, h("h1", {}, t("account.passwordTitle")), h("p", {}, t("account.passwordIntro")), done, form);
}
