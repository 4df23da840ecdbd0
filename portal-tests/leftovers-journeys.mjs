// The leftovers of issue 15 in a real browser: money rounded to cents with the exact value on
// demand, the new-call form's format and range checks before sending, the orderer's header on
// one line at 1280 px, months in words; each run at a width and in a language, every state
// checked with axe-core and, at 390 px, that the page does not scroll sideways.
//
//   node leftovers-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [journey, base, outDir, paramsJson] = process.argv.slice(2);
const params = JSON.parse(paramsJson || "{}");
const width = params.width || 1280;
const lang = params.lang || "fi";
const narrow = width <= 832; // the style sheet's menu breakpoint (52rem)
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const L = JSON.parse(readFileSync(new URL(`../api/portal/i18n/${lang}.json`, import.meta.url), "utf8"));
const tr = (key, vars = {}) => L[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-quic"],
});
const context = await browser.newContext({ viewport: { width, height: width <= 400 ? 844 : 900 }, locale: lang === "fi" ? "fi-FI" : "en-GB" });
await context.addInitScript((l) => localStorage.setItem("kilpailutus.lang", l), lang);
const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
const states = [];

/** axe-core (WCAG 2.1 A and AA) on the page as it is now, and at 390 px no sideways scrolling. */
async function check(name) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  states.push({ page: name, width, lang, violations: violations.length, scrollWidth });
  if (violations.length) throw new Error(`axe violations on ${name}: ${JSON.stringify(violations, null, 1)}`);
  if (width <= 390 && scrollWidth > width) {
    const wide = await page.evaluate((w) => [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > w + 1).slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`), width);
    throw new Error(`${name} scrolls sideways at ${width} px: scrollWidth ${scrollWidth}; widest: ${wide.join(", ")}`);
  }
  await page.screenshot({ path: `${outDir}/leftovers-${journey}-${width}-${lang}-${states.length}.png`, fullPage: true });
}

async function heading(text) {
  await page.getByRole("heading", { level: 1, name: text }).waitFor();
}

async function rendered() {
  return page.evaluate(() => Number(document.body.dataset.rendered || 0));
}

/** Clicks, then waits until the page has rendered again (after the mutation succeeded). */
async function settle(click) {
  const before = await rendered();
  await click();
  await page.waitForFunction((b) => Number(document.body.dataset.rendered || 0) > b, before);
}

/** Follows a link of the main navigation, opening the menu first on narrow screens. */
async function navigate(key) {
  const header = page.locator("header.top");
  if (narrow) {
    const toggle = header.getByRole("button", { name: L["nav.menu"] });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  }
  await header.getByRole("link", { name: L[key], exact: true }).click();
  await heading(L[key]);
}

async function login(email, password) {
  await page.goto(`${base}/#/login`);
  await heading(L["account.loginTitle"]);
  await page.getByLabel(L["account.email"]).fill(email);
  await page.getByLabel(L["account.password"]).fill(password);
  await page.getByRole("button", { name: L["account.login"] }).click();
  await heading(L["calls.title"]);
}

/** A period "YYYY-MM" in words, as the portal's month() writes it ("joulukuu 2026"). */
function monthText(period) {
  const [y, m] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "fi" ? "fi-FI" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 1));
}

async function signOut() {
  await page.evaluate(() => sessionStorage.clear());
}

const journeys = {
  /** The orderer: the header's height, a contract's amounts, the new-call form's checks. */
  async orderer() {
    await login(params.email, params.password);
    const header = await page.locator("header.top").boundingBox();
    if (!narrow && header.height >= 60) throw new Error(`the orderer's header is ${header.height} px high at ${width} px: ${await page.evaluate(() => JSON.stringify([...document.querySelectorAll("header.top *")].filter((e) => e.parentElement.id === "nav" || e.parentElement.classList.contains("top") || e.parentElement.id === "menu").map((e) => [e.textContent, Math.round(e.getBoundingClientRect().left), Math.round(e.getBoundingClientRect().top), Math.round(e.getBoundingClientRect().width)])))}`);
    if (narrow && header.height > 80) throw new Error(`the compact header is ${header.height} px high`);
    for (const key of ["nav.ordererCalls", "nav.newCall", "nav.directContract", "nav.budget", "nav.audit", "nav.notifications", "nav.settings"]) {
      const link = page.locator("header.top").getByRole("link", { name: L[key], exact: true });
      if (narrow) continue;
      if (!(await link.isVisible())) throw new Error(`${key} is not shown at ${width} px`);
    }
    await check("calls, signed in as the orderer");
    if (narrow) {
      await page.getByRole("button", { name: L["nav.menu"] }).click();
      await page.locator("header.top").getByRole("link", { name: L["nav.audit"], exact: true }).waitFor();
      await check("the orderer's menu open");
      await page.getByRole("button", { name: L["nav.menu"] }).click();
    }

    // Amounts with more than two decimals: rounded to cents, the exact value on demand.
    await page.goto(`${base}/#/contracts/${params.contractId}`);
    await page.getByRole("heading", { level: 1, name: tr("contract.heading", { producer: params.producer }) }).waitFor();
    const rounded = page.locator(`.money-rounded[data-exact="${params.exactLineTotal}"]`).first();
    await rounded.waitFor();
    const shownLine = await rounded.evaluate((e) => e.firstChild.textContent.trim());
    const exactTitle = await rounded.getAttribute("title");
    const unitPrice = await page.locator("main").innerText();
    if (!unitPrice.includes(params.unitPriceShown)) throw new Error(`the unit price ${params.unitPriceShown} is not shown exactly`);
    await page.getByRole("table", { name: L["contract.byMonth"] }).getByRole("row", { name: new RegExp(monthText(params.period)) }).first().waitFor();
    await check("contract with amounts of many decimals");
    // The orderer's list of contracts and the budget page: totals rounded, exact on demand.
    await page.goto(`${base}/#/orderer`);
    await heading(L["nav.ordererCalls"]);
    await page.locator(`.money-rounded[data-exact="${params.exactTotal}"]`).first().waitFor();
    await check("the orderer's calls and contracts, totals rounded");
    await page.goto(`${base}/#/budget`);
    await heading(L["nav.budget"]);
    await page.locator(".money-rounded").first().waitFor();
    await check("budget, portfolio rounded to cents");

    // The new-call form: a weights error and a quantity error together, nothing sent.
    let sent = 0;
    page.on("request", (r) => { if (r.url().includes("/graphql") && (r.postData() || "").includes("createCall")) sent += 1; });
    await page.goto(`${base}/#/orderer/new`);
    await heading(L["nav.newCall"]);
    await page.getByLabel(L["newCall.title"]).first().fill("Tarkistukset");
    await page.getByLabel(L["newCall.description"]).fill("Muodot ja rajat");
    await page.getByLabel(tr("newCall.lineQuantity", { n: 1 })).fill(params.badQuantity);
    await page.getByLabel(L["newCall.contractStart"]).fill("2028-06-01");
    await page.getByLabel(L["newCall.contractEnd"]).fill("2028-05-31");
    await page.getByLabel(L["newCall.questionsDeadline"]).fill("2028-03-02T12:00");
    await page.getByLabel(L["newCall.submissionDeadline"]).fill("2028-03-01T12:00");
    await page.getByLabel(tr("newCall.criterionName", { n: 1 })).fill("Laatu");
    await page.getByLabel(tr("newCall.criterionWeight", { n: 1 })).fill("50");
    await page.getByLabel(tr("newCall.criterionMaxPoints", { n: 1 })).fill("1001");
    await page.getByLabel(L["newCall.minEquityRatio"]).fill("120");
    await page.getByRole("button", { name: L["newCall.create"] }).click();
    await page.getByText(tr("rule.WEIGHTS_SUM", { expected: 100, actual: 110 })).waitFor();
    const invalid = await page.evaluate(() => [...document.querySelectorAll("[aria-invalid=true]")].map((e) => e.name));
    const errorOf = (name) => page.evaluate((n) => document.querySelector(`[name="${n}"]`)?.closest(".field")?.querySelector(".error")?.textContent, name);
    const errors = {};
    for (const n of invalid) errors[n] = await errorOf(n);
    const focused = await page.evaluate(() => document.activeElement?.name);
    await check("new call, format and range errors beside their fields");
    if (sent) throw new Error("the form was sent");
    await page.waitForTimeout(300);
    return { headerHeight: header.height, shownLine, exactTitle, invalid, errors, focused, sent };
  },

  /** The in-house producer's report page: months in words. */
  async producer() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/my-contracts/${params.contractId}/report`);
    await heading(tr("work.reportHeading", { orderer: params.orderer }));
    const cell = page.locator(`[data-period="${params.period}"]`);
    await cell.waitFor();
    const text = (await cell.innerText()).trim();
    if (text !== monthText(params.period)) throw new Error(`the period reads "${text}", not "${monthText(params.period)}"`);
    await check("report page with months in words");
    return { month: text };
  },
};

try {
  if (!journeys[journey]) throw new Error(`no journey ${journey}`);
  const result = await journeys[journey]();
  const unexpected = problems.filter((p) => !p.includes("401") && !p.includes("Failed to load resource"));
  if (unexpected.length) throw new Error(`browser errors: ${unexpected.join("\n")}`);
  console.log(`RESULT ${JSON.stringify({ ...result, states })}`);
  await browser.close();
} catch (e) {
  console.error(`journey ${journey} (${width} px, ${lang}) failed: ${e.stack || e}`);
  console.error(`states so far: ${JSON.stringify(states)}; browser problems: ${problems.join("\n")}`);
  await page.screenshot({ path: `${outDir}/leftovers-${journey}-${width}-${lang}-failure.png`, fullPage: true }).catch(() => {});
  await browser.close();
  process.exit(1);
}
