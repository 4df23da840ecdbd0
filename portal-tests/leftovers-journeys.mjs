// The leftovers of issue 15 in a real browser: money rounded to cents with the exact value on
// demand, the new-call form's format and range checks before sending, the orderer's header on
// one line at 1280 px, months in words; each run at a width and in a language, every state
// checked with axe-core and, at 390 px, that the page does not scroll sideways.
//
//   node leftovers-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, width, lang, L, tr, page, check, fail, heading, settle, narrow, rendered, navigate, login, signOut, done } = await statesJourney("leftovers");

/** A period "YYYY-MM" in words, as the portal's month() writes it ("joulukuu 2026"). */
function monthText(period) {
  const [y, m] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "fi" ? "fi-FI" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 1));
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

await done(journeys, ["401", "Failed to load resource"]);
