// Labelled fields with their own error slot. A form is checked in the browser first, every
// field at once (`check`), and the server's errors are then shown beside the field they name
// (extensions.field), worded in the user's language from extensions.rule and
// extensions.params; the API's English message is never shown.
import { h, uid } from "./dom.js";
import { t, errorText, ruleText, readNumber, percentToRatio } from "./i18n.js";

/**
 * A labelled input; `name` is the API's field name, used to place errors. `as` says what the
 * field holds when it is checked and read: "money" (at most `maxDecimals`, 2 by default),
 * "decimal", "percent" (typed as a percentage, sent as a ratio), "int", or text; `validate`
 * is a field's own check, returning { rule, params } or null.
 */
export function field({ name, label, type = "text", hint, value = "", required = false, options, attrs = {}, as = null, min = null, max = null, maxDecimals = null, maxLength = null, validate = null }) {
  const id = uid(name.replace(/\W/g, "-"));
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  let input;
  if (type === "select") {
    input = h("select", { id, name, "aria-describedby": describedBy, required, ...attrs },
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  } else if (type === "textarea") {
    input = h("textarea", { id, name, "aria-describedby": describedBy, required, ...attrs });
    input.value = value;
  } else {
    input = h("input", { id, name, type, "aria-describedby": describedBy, required, ...attrs });
    input.value = value;
  }
  const error = h("p", { id: errorId, class: "error", hidden: true });
  const wrap = h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label, required ? h("span", { class: "hint" }, ` (${t("form.required")})`) : null),
    hint ? h("span", { id: hintId, class: "hint" }, hint) : null,
    input, error);
  return { wrap, input, error, name, required, as, min, max, maxDecimals, maxLength, validate };
}

export function setFieldError(f, message) {
  if (message) {
    f.error.textContent = message;
    f.error.hidden = false;
    f.input.setAttribute("aria-invalid", "true");
  } else {
    f.error.textContent = "";
    f.error.hidden = true;
    f.input.removeAttribute("aria-invalid");
  }
}

/** A form's error area for errors that name no field of the form. */
export function formError() {
  return h("div", { class: "error", role: "alert", tabindex: "-1" });
}

function decimals(plain) {
  return plain.includes(".") ? plain.split(".")[1].length : 0;
}

function lessThan(a, b) {
  // Plain decimal strings compared exactly (the browser's checks; the server decides).
  const [x, y] = [a, b].map((s) => {
    const neg = s.startsWith("-");
    const [w, f = ""] = (neg ? s.slice(1) : s).split(".");
    return { neg, w: w.replace(/^0+(?=\d)/, ""), f };
  });
  const len = Math.max(x.f.length, y.f.length);
  const big = (v) => BigInt((v.neg ? "-" : "") + v.w + v.f.padEnd(len, "0"));
  return big(x) < big(y);
}

/**
 * The problem of one field as a rule code and parameters (the API's own codes), or null.
 * A percent field's bounds are ratios, as the API states them.
 */
export function problemOf(f) {
  const raw = f.input.value;
  if (!String(raw).trim()) return f.required ? { rule: "REQUIRED", params: {} } : null;
  if (f.maxLength && String(raw).trim().length > f.maxLength) return { rule: "TOO_LONG", params: { max: f.maxLength } };
  if (f.validate) {
    const own = f.validate(String(raw));
    if (own) return own;
  }
  if (!f.as || f.as === "text") return null;
  const plain = readNumber(raw);
  if (plain === null) return { rule: f.as === "percent" ? "NOT_A_PERCENT" : f.as === "int" ? "NOT_AN_INTEGER" : "NOT_A_NUMBER", params: {} };
  if (f.as === "int" && plain.includes(".")) return { rule: "NOT_AN_INTEGER", params: {} };
  const value = f.as === "percent" ? percentToRatio(plain) : plain;
  const max = f.maxDecimals ?? (f.as === "money" ? 2 : null);
  if (value.startsWith("-") && (f.min == null || !String(f.min).startsWith("-"))) return { rule: "NEGATIVE", params: {} };
  if (f.as !== "percent" && max != null && decimals(plain) > max) return { rule: "TOO_MANY_DECIMALS", params: { max } };
  if (f.as === "percent" && max != null && decimals(plain) > max) return { rule: "TOO_MANY_DECIMALS", params: { max } };
  const outside = (f.min != null && lessThan(value, String(f.min))) || (f.max != null && lessThan(String(f.max), value));
  if (outside) {
    if (f.min != null && f.max != null) return { rule: "OUT_OF_RANGE", params: { min: f.min, max: f.max } };
    if (f.min != null) return { rule: String(f.min) === "0" ? "NEGATIVE" : "TOO_SMALL", params: { min: f.min } };
    return { rule: "TOO_LARGE", params: { max: f.max } };
  }
  return null;
}

/** A field's value for the API: a plain decimal (a percentage as its ratio), or the text. */
export function valueOf(f) {
  const raw = f.input.value;
  if (!f.as || f.as === "text") return raw;
  const plain = readNumber(raw);
  if (plain === null) return String(raw).trim();
  return f.as === "percent" ? percentToRatio(plain) : plain;
}

function wordProblem(f, p) {
  return ruleText(p.rule, p.params, f?.as === "percent" ? "percent" : f?.as === "money" ? "money" : null);
}

/**
 * Checks every field in the browser and shows every problem at once, each beside its field;
 * focuses the first. Returns true when nothing was found.
 */
export function check(fields, area) {
  clearErrors(fields, area);
  const found = [];
  for (const f of fields) {
    const p = problemOf(f);
    if (p) {
      setFieldError(f, wordProblem(f, p));
      found.push(f);
    }
  }
  if (found.length) {
    area.append(h("p", {}, t("form.problems", { count: found.length })));
    found[0].input.focus();
  }
  return found.length === 0;
}

/**
 * Shows an ApiError: each error beside the field it names (matched on the whole path or its
 * last part, e.g. "input.lines[0].unitPrice"), worded from its rule; the rest in the form's
 * area. Focuses the first field in error, or the area.
 */
export function showErrors(err, fields, area) {
  for (const f of fields) setFieldError(f, null);
  area.replaceChildren();
  const list = err.errors || [{ code: "INTERNAL", message: String(err) }];
  const marked = [];
  for (const e of list) {
    const target = e.field && fields.find((f) => f.name === e.field || e.field.endsWith(`.${f.name}`) || f.name.endsWith(e.field)
      || e.field.replace(/\[\d+\]$/, "") === f.name);
    const text = e.code === "BAD_USER_INPUT" ? wordProblem(target, { rule: e.rule || "INVALID", params: e.params || {} }) : fieldCodeText(e);
    if (target) {
      setFieldError(target, text);
      marked.push(target);
    } else {
      area.append(h("p", {}, text));
    }
  }
  const first = fields.find((f) => marked.includes(f));
  if (first) first.input.focus();
  else area.focus?.();
}

/**
 * The text of an error other than BAD_USER_INPUT: one naming a field has its own wording when
 * the language has one (error.CONFLICT.email: the e-mail address is taken), else its code's.
 */
function fieldCodeText(e) {
  const last = e.field ? e.field.split(".").pop() : null;
  const key = `error.${e.code}.${last}`;
  return last && t(key) !== key ? t(key) : errorText(e);
}

export function clearErrors(fields, area) {
  for (const f of fields) setFieldError(f, null);
  area.replaceChildren();
}
