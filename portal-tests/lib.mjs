// What every browser journey script shares: its arguments, the portal's texts, Debian's headless
// Chromium, the axe-core check (WCAG 2.1 A and AA; every violation fails the journey) with the
// no-sideways-scrolling check at 390 px, the usual waits (a heading, a render after a click),
// the sign-in, and the ending (one `RESULT <json>` line and exit 0, or the failure and exit 1).
import { chromium } from "playwright-core";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** `node <script> <journey> <base url> <screenshot dir> '<params as JSON>'` */
export function journeyArgs() {
  const [journey, base, outDir, paramsJson] = process.argv.slice(2);
  return { journey, base, outDir, params: JSON.parse(paramsJson || "{}") };
}

/** The portal's texts, by language. */
export const TEXTS = {
  fi: JSON.parse(readFileSync(new URL("../api/portal/i18n/fi.json", import.meta.url), "utf8")),
  sv: JSON.parse(readFileSync(new URL("../api/portal/i18n/sv.json", import.meta.url), "utf8")),
  en: JSON.parse(readFileSync(new URL("../api/portal/i18n/en.json", import.meta.url), "utf8")),
};

/** A text with its `{name}`s filled in (an unknown one stays as it is). */
export function fill(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`));
}

/** `tr(key, vars)`: the text of `key` in the language `L`, filled in. */
export const translator = (L) => (key, vars = {}) => fill(L[key], vars);

export const BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
  "--disable-component-update", "--disable-sync", "--disable-quic"];

/**
 * The Chromium to run: CHROMIUM, else Debian's old headless shell (`chromium-headless-shell`,
 * the same Blink without the full browser's layers: the browser tests took 294 s instead of
 * 400 s here),
 * else Debian's `chromium`.
 */
export const CHROMIUM = process.env.CHROMIUM
  || (existsSync("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium");

/**
 * Debian's headless Chromium: the test process's (browser-server.mjs) when KILPAILUTUS_BROWSER
 * names its endpoint, a browser of this journey's own otherwise. `close()` closes what the
 * journey opened either way.
 */
export async function launch() {
  const shared = process.env.KILPAILUTUS_BROWSER;
  if (shared) return chromium.connect(shared);
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

/** Collects the page's console errors and uncaught exceptions into `problems`, after `prefix`. */
export function watch(page, problems, prefix = "") {
  page.on("console", (m) => { if (m.type() === "error") problems.push(`${prefix}console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`${prefix}page error: ${e.message}`));
}

/**
 * A page in a new context of `width` (844 px high at most 400 px wide when `phoneHeight`, 900
 * otherwise) and `lang`'s locale; with `storeLang` the portal's language is set before it loads;
 * `extra`: more of the context's options. The page's problems go to `problems`, after `prefix`.
 */
export async function openPage(browser, { width, lang, phoneHeight = false, storeLang = true, extra = {}, problems, prefix = "" }) {
  const height = phoneHeight && width <= 400 ? 844 : 900;
  const context = await browser.newContext({ viewport: { width, height }, locale: { en: "en-GB", sv: "sv-FI" }[lang] ?? "fi-FI", ...extra });
  if (storeLang) await context.addInitScript((l) => localStorage.setItem("kilpailutus.lang", l), lang);
  const page = await context.newPage();
  if (problems) watch(page, problems, prefix);
  return { context, page };
}

/**
 * axe-core's violations on the page as it is now. axe is put into the document once (the
 * portal routes within one document) and asked for violations only: the same rules and the
 * same verdicts, without collecting every passing node.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  }, AXE_TAGS);
}

/**
 * The check of one state: axe-core, then at most 390 px wide no sideways scrolling (naming the
 * widest elements), then the screenshot when `screenshot` names its file. `record(scrollWidth,
 * violations)` notes the state before anything fails; `fail` throws.
 */
export async function checkState(page, { name, width, record, fail, screenshot }) {
  const violations = await axeViolations(page);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  record(scrollWidth, violations.length);
  if (violations.length) fail(`axe violations on ${name}: ${JSON.stringify(violations, null, 1)}`);
  if (width <= 390 && scrollWidth > width) {
    const wide = await page.evaluate((w) => [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > w + 1).slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`), width);
    fail(`${name} scrolls sideways at ${width} px: scrollWidth ${scrollWidth}; widest: ${wide.join(", ")}`);
  }
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
}

/**
 * The usual moves on `page` in the language `L`: `heading` (waits for the page's h1, exactly
 * `text` when `exactHeadings`), `rendered`, `settle` (click, then wait until the page has
 * rendered again: the mutation succeeded), `navigate` (a link of the main navigation, through
 * the menu on narrow screens, then its heading), `nav` (the same without waiting), `login`
 * (`beforeSubmit` runs on the filled form) and `signOut`.
 */
export function moves(page, { L, base, narrow = false, exactHeadings = false }) {
  const heading = (text) => page.getByRole("heading", { level: 1, name: text, ...(exactHeadings ? { exact: true } : {}) }).waitFor();
  const rendered = () => page.evaluate(() => Number(document.body.dataset.rendered || 0));
  const settle = async (click) => {
    const before = await rendered();
    await click();
    await page.waitForFunction((b) => Number(document.body.dataset.rendered || 0) > b, before);
  };
  const nav = async (key) => {
    const header = page.locator("header.top");
    const toggle = header.getByRole("button", { name: L["nav.menu"] });
    if (await toggle.isVisible() && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await header.getByRole("link", { name: L[key], exact: true }).click();
  };
  const navigate = async (key) => {
    const header = page.locator("header.top");
    if (narrow) {
      const toggle = header.getByRole("button", { name: L["nav.menu"] });
      if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    }
    await header.getByRole("link", { name: L[key], exact: true }).click();
    await heading(L[key]);
  };
  const login = async (email, password, { beforeSubmit, clearSession = false } = {}) => {
    if (clearSession) await page.evaluate(() => sessionStorage.clear()).catch(() => {});
    await page.goto(`${base}/#/login`);
    await heading(L["account.loginTitle"]);
    await page.getByLabel(L["account.email"]).fill(email);
    await page.getByLabel(L["account.password"]).fill(password);
    if (beforeSubmit) await beforeSubmit();
    await page.getByRole("button", { name: L["account.login"] }).click();
    await heading(L["calls.title"]);
  };
  const signOut = () => page.evaluate(() => sessionStorage.clear());
  return { heading, rendered, settle, nav, navigate, login, signOut };
}

/**
 * Runs `journeys[journey]`, then fails on the browser's problems that are not `tolerated`;
 * prints `RESULT` with the journey's result (through `wrap`) and the states checked (under
 * `statesKey`), or the failure (`label`, the states so far, `failureShot`) and exits 1.
 */
export async function finish({ browser, journeys, journey, problems, tolerated, states, statesKey, label, failureShot, wrap = (r) => r }) {
  try {
    if (!journeys[journey]) throw new Error(`no journey ${journey}`);
    const result = await journeys[journey]();
    const unexpected = problems.filter((p) => !tolerated.some((t) => p.includes(t)));
    if (unexpected.length) throw new Error(`browser errors: ${unexpected.join("\n")}`);
    console.log(`RESULT ${JSON.stringify({ ...wrap(result), [statesKey]: states })}`);
    await browser.close();
  } catch (e) {
    console.error(`journey ${label} failed: ${e.stack || e}`);
    console.error(`${statesKey} so far: ${JSON.stringify(states)}; browser problems: ${problems.join("\n")}`);
    if (failureShot) await failureShot().catch(() => {});
    await browser.close();
    process.exit(1);
  }
}

/**
 * The setting of a script whose journeys report their states (pages, leftovers, admin, report):
 * its arguments, `width` (params.width, 1280 by default), `lang` (params.lang, Finnish by
 * default), `narrow` (the style sheet's menu breakpoint, 52rem), the texts `L` and `tr`, one
 * page (844 px high on a phone), its moves, `check(name)` (`checkState`, the screenshot named
 * `<prefix>-<journey>-<width>-<lang>-<n>.png`), `fail`, and `done(journeys, tolerated)`.
 */
export async function statesJourney(prefix, { exactHeadings = false } = {}) {
  const { journey, base, outDir, params } = journeyArgs();
  const width = params.width || 1280;
  const lang = params.lang || "fi";
  const narrow = width <= 832;
  const L = TEXTS[lang];
  const browser = await launch();
  const problems = [];
  const { page } = await openPage(browser, { width, lang, phoneHeight: true, problems });
  const states = [];
  const fail = (message) => { throw new Error(message); };
  const check = (name) => checkState(page, {
    name, width, fail,
    record: (scrollWidth, violations) => states.push({ page: name, width, lang, violations, scrollWidth }),
    screenshot: `${outDir}/${prefix}-${journey}-${width}-${lang}-${states.length + 1}.png`,
  });
  const done = (journeys, tolerated) => finish({
    browser, journeys, journey, problems, tolerated, states, statesKey: "states", label: `${journey} (${width} px, ${lang})`,
    failureShot: () => page.screenshot({ path: `${outDir}/${prefix}-${journey}-${width}-${lang}-failure.png`, fullPage: true }),
  });
  return {
    journey, base, outDir, params, width, lang, narrow, L, tr: translator(L), page, check, fail, done,
    ...moves(page, { L, base, narrow, exactHeadings }),
  };
}
