// Texts come from one file per language (i18n/<lang>.json); dates and money are shown in the
// chosen locale, money straight from the API's decimal strings (see decimal.js).
import { formatPlain } from "./decimal.js";

export const LANGUAGES = ["fi", "en"];
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

export function money(text) {
  return text == null ? "–" : `${formatPlain(text, lang, 2)} €`;
}

export function number(text) {
  return text == null ? "–" : formatPlain(text, lang);
}

export function dateTime(iso) {
  if (!iso) return "–";
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function date(isoDate) {
  if (!isoDate) return "–";
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
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
