// Texts come from one file per language (i18n/<lang>.json); dates and money are shown in the
// chosen locale, money from the API's decimal strings (see decimal.js), rounded to cents for
// display with the exact amount on demand; times are Finnish time (Europe/Helsinki) with the
// zone shown, ratios are percentages. Every helper here is for any page to use.
import { formatPlain, isDecimal, parse, round, toPlain } from "./decimal.js";
import { h } from "./dom.js";

export const LANGUAGES = ["fi", "sv", "en"];
const LOCALES = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };
let lang = "fi";
let texts = {};
let fallback = {};

export async function load(wanted) {
  lang = LANGUAGES.includes(wanted) ? wanted : "fi";
  const get = async (l) => (await fetch(`/portal/i18n/${l}.json`)).json();
  texts = await get(lang);
  fallback = lang === "en" ? texts : await get("en");
  document.documentElement.lang = lang;
  localStorage.setItem("kilpailutus.lang", lang);
}

export function current() {
  return lang;
}

export function preferred() {
  const saved = localStorage.getItem("kilpailutus.lang");
  if (LANGUAGES.includes(saved)) return saved;
  const nav = (navigator.language || "fi").slice(0, 2);
  return LANGUAGES.includes(nav) ? nav : "fi";
}

/** The text for `key`, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const template = texts[key] ?? fallback[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? `{${k}}`));
}

/** The user's-language text for an error code (extensions.code). */
export function errorText(err) {
  const base = t(`error.${err.code}`) === `error.${err.code}` ? t("error.INTERNAL") : t(`error.${err.code}`);
  return err.retryAfter ? `${base} ${t("error.retryAfter", { seconds: err.retryAfter })}` : base;
}

/**
 * The user's-language text for a broken rule (extensions.rule and extensions.params of a
 * BAD_USER_INPUT error, or the same codes found by the browser's own checks). `as` says how
 * the field is shown: "percent" words a ratio's bounds as percentages. Unknown rules get a
 * generic text: the API's English message is never shown.
 */
export function ruleText(rule, params = {}, as = null) {
  const p = { ...params };
  for (const k of ["min", "max"]) {
    if (p[k] == null || !isDecimal(String(p[k]))) continue;
    if (as === "percent") p[k] = percent(String(p[k]));
    else if (as === "money") p[k] = moneyRounded(String(p[k]));
  }
  for (const k of ["min", "max", "actual", "expected"]) if (typeof p[k] === "number") p[k] = formatPlain(String(p[k]), lang);
  if (p.earliest != null) p.earliest = dateTime(String(p.earliest));
  if (p.other != null && t(`fieldName.${p.other}`) !== `fieldName.${p.other}`) p.other = t(`fieldName.${p.other}`);
  // An organisation's kind and a role are the API's names (ORDERER): worded here.
  for (const [k, prefix] of [["kind", "kind"], ["role", "role"]]) {
    if (p[k] != null && t(`${prefix}.${p[k]}`) !== `${prefix}.${p[k]}`) p[k] = t(`${prefix}.${p[k]}`);
  }
  const key = `rule.${rule}`;
  return t(key) === key ? t("rule.INVALID") : t(key, p);
}

/** The user's-language sentence for a disqualification reason ({code, actual, required, year}). */
export function reasonText(r) {
  const key = `reason.${r.code}`;
  if (t(key) === key) return t("reason.UNKNOWN");
  const fmt = {
    TURNOVER_BELOW: (v) => moneyRounded(v),
    EQUITY_RATIO_BELOW: (v) => percent(v),
  }[r.code] || ((v) => v);
  return t(key, { actual: r.actual == null ? "–" : fmt(r.actual), required: r.required == null ? "–" : fmt(r.required), year: r.year ?? "" });
}

/** Money with every digit the API gave ("45 600,00 €"); see `moneyRounded` and `moneyNode`. */
export function money(text) {
  return text == null ? "–" : `${formatPlain(text, lang, 2)} €`;
}

/** Money rounded half away from zero to cents for display ("52,71 €"). */
export function moneyRounded(text) {
  if (text == null) return "–";
  if (!isDecimal(text)) return String(text);
  return `${formatPlain(toPlain(round(parse(text), 2)), lang, 2)} €`;
}

/**
 * Money as an element: rounded to cents, and when that hides digits the exact amount is on
 * demand (a tooltip, and read out by screen readers).
 */
export function moneyNode(text) {
  const shown = moneyRounded(text);
  const exact = money(text);
  if (text == null || shown === exact) return h("span", {}, shown);
  return h("span", { class: "money-rounded", title: t("format.exact", { value: exact }), "data-exact": text },
    shown, h("span", { class: "visually-hidden" }, ` (${t("format.exact", { value: exact })})`));
}

/**
 * The text for `key` as nodes: placeholders filled from `params`, which may be nodes (e.g.
 * moneyNode), so a sentence can carry amounts with their exact value on demand.
 */
export function tNodes(key, params = {}) {
  const template = texts[key] ?? fallback[key] ?? key;
  const out = [];
  let last = 0;
  template.replace(/\{(\w+)\}/g, (m, k, at) => {
    out.push(template.slice(last, at));
    const v = params[k];
    out.push(v == null ? m : v instanceof Node ? v : String(v));
    last = at + m.length;
    return m;
  });
  out.push(template.slice(last));
  return h("span", {}, ...out.filter((x) => x !== ""));
}

/** A signed amount as a node ("+12,35 €" / "-3,00 €"), rounded to cents, exact on demand. */
export function moneyDeltaNode(text) {
  return text != null && !String(text).startsWith("-") ? h("span", {}, "+", moneyNode(text)) : moneyNode(text);
}

export function number(text) {
  return text == null ? "–" : formatPlain(text, lang);
}

/** A decimal rounded half away from zero to `scale` decimals, in the user's format. */
export function numberRounded(text, scale = 1) {
  if (text == null) return "–";
  if (!isDecimal(text)) return String(text);
  return formatPlain(toPlain(round(parse(text), scale)), lang);
}

/** A ratio of the API ("0.35") as a percentage in the user's format ("35 %" / "35%"). */
export function percent(text) {
  if (text == null || !isDecimal(text)) return text == null ? "–" : String(text);
  const plain = ratioToPercent(text);
  return lang === "en" ? `${formatPlain(plain, lang)}%` : `${formatPlain(plain, lang)} %`;
}

/** "0.35" -> "35", exactly (the decimal point moved two places, no floats). */
export function ratioToPercent(text) {
  const v = parse(text);
  const shifted = v.scale >= 2 ? { units: v.units, scale: v.scale - 2 } : { units: v.units * 10n ** BigInt(2 - v.scale), scale: 0 };
  return trimFraction(toPlain(shifted));
}

function trimFraction(plain) {
  return plain.includes(".") ? plain.replace(/0+$/, "").replace(/\.$/, "") : plain;
}

/** "35" (a percentage) -> "0.35" (the API's ratio), exactly; null if it is not a number. */
export function percentToRatio(text) {
  if (text == null || !isDecimal(text)) return null;
  const v = parse(text);
  return trimFraction(toPlain({ units: v.units, scale: v.scale + 2 }));
}

/**
 * A number typed by a user, in the user's language: "1 234,50" in Finnish, "1,234.50" in
 * English (a point is a decimal mark in both), a trailing "€" or "%" allowed. Returns the
 * API's plain decimal string, or null.
 */
export function readNumber(text) {
  let s = String(text ?? "").trim().replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-").replace(/(€|%|eur)$/i, "");
  if (lang === "en") s = s.replace(/,(?=\d{3}(\D|$))/g, "");
  else s = s.replace(",", ".");
  return isDecimal(s) ? s.replace(/^(-?)\+/, "$1") : null;
}

/** A plain decimal shown in an input in the user's format, digits untouched ("1200000" -> "1 200 000"). */
export function numberInput(text) {
  return text == null || text === "" || !isDecimal(text) ? (text ?? "") : formatPlain(text, lang);
}

const ZONE = "Europe/Helsinki";

/** The zone's abbreviation at an instant: EET or EEST. */
function zoneName(d) {
  const part = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, timeZoneName: "short" }).formatToParts(d).find((x) => x.type === "timeZoneName");
  return part ? part.value : "";
}

/** An instant in Finnish time with its zone: "2.12.2026 klo 11.47 (EET)" / "2 Dec 2026, 11:47 EET". */
export function dateTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  if (lang === "en") {
    const text = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: ZONE, dateStyle: "medium", timeStyle: "short" }).format(d);
    return `${text} ${zoneName(d)}`;
  }
  const text = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: ZONE, day: "numeric", month: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(d);
  return `${text} (${zoneName(d)})`;
}

/** The offset of Finnish time from UTC at an instant, in minutes (120 or 180). */
function helsinkiOffset(ms) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
    .formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
}

/**
 * A datetime-local input's value ("2027-04-01T12:00") read as Finnish time, to the API's
 * RFC 3339 instant ("2027-04-01T09:00:00.000Z"), summer time included; null if unreadable.
 * A wall time skipped by the spring change (03.00–03.59) is taken an hour later; one repeated
 * in the autumn is taken the second time (EET).
 */
export function helsinkiToIso(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(local || "").trim());
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0));
  let utc = wall - helsinkiOffset(wall) * 60000;
  utc = wall - helsinkiOffset(utc) * 60000;
  return new Date(utc).toISOString();
}

/** An instant as a datetime-local input's value in Finnish time ("2027-04-01T12:00"). */
export function isoToHelsinkiInput(iso) {
  if (!iso) return "";
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return "";
  return new Date(ms + helsinkiOffset(ms) * 60000).toISOString().slice(0, 16);
}

export function date(isoDate) {
  if (!isoDate) return "–";
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
}

/** A month ("2026-12") in words: "joulukuu 2026" / "December 2026". */
export function month(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym || ""));
  if (!m) return ym ? String(ym) : "–";
  return new Intl.DateTimeFormat(LOCALES[lang], { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

/** A month for a chart's axis: its short name ("tammi", "Jan"). */
export function monthShort(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym || ""));
  if (!m) return ym ? String(ym) : "–";
  return new Intl.DateTimeFormat(LOCALES[lang], { month: "short", timeZone: "UTC" }).format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

/** "3 days 4 hours left" / "closed", from now to `iso`. */
export function timeLeft(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return t("time.passed");
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return t("time.daysHours", { days, hours });
  if (hours > 0) return t("time.hoursMinutes", { hours, minutes: minutes % 60 });
  return t("time.minutes", { minutes });
}
