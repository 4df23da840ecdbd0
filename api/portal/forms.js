// Labelled fields with their own error slot, and GraphQL errors shown next to what caused
// them (extensions.field), in the user's language (extensions.code).
import { h, uid } from "./dom.js";
import { t, errorText } from "./i18n.js";

/** A labelled input; `name` is the API's field name, used to place errors. */
export function field({ name, label, type = "text", hint, value = "", required = false, options, attrs = {} }) {
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
  return { wrap, input, error, name };
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
  return h("div", { class: "error", role: "alert" });
}

/**
 * Shows an ApiError: each error beside the field it names (matched on the whole path or its
 * last part, e.g. "input.lines[0].unitPrice"), the rest in the form's area. Focuses the first.
 */
export function showErrors(err, fields, area) {
  for (const f of fields) setFieldError(f, null);
  area.replaceChildren();
  const list = err.errors || [{ code: "INTERNAL", message: String(err) }];
  let first = null;
  for (const e of list) {
    const text = e.field ? `${errorText(e)} (${e.message})` : errorText(e);
    const target = e.field && fields.find((f) => f.name === e.field || e.field.endsWith(`.${f.name}`) || f.name.endsWith(e.field));
    if (target) {
      setFieldError(target, text);
      first = first || target.input;
    } else {
      area.append(h("p", {}, text));
    }
  }
  (first || area).focus?.();
}

export function clearErrors(fields, area) {
  for (const f of fields) setFieldError(f, null);
  area.replaceChildren();
}
