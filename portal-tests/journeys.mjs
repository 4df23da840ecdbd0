// Browser journeys through the portal in Debian's headless Chromium, driven by playwright-core,
// each page checked with axe-core (WCAG 2.1 A and AA rules) and, at 390 px, that it does not
// scroll sideways. Run by tests/e2e/portal.rs, which prepares the data, moves the server's clock
// between journeys and checks the database, with `width` and `lang` in the params (the
// story's journeys at 1280 and 390 px, in Finnish and English; GraphiQL at 1280 px in Finnish).
//
//   node journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { journeyArgs, TEXTS, launch, openPage, checkState, moves, finish } from "./lib.mjs";

const { journey, base, outDir, params } = journeyArgs();
const texts = TEXTS;
const lang = params.lang === "en" ? "en" : "fi";
const L = texts[lang];
const width = Number(params.width || 1280);

const browser = await launch();
const problems = [];
const { page } = await openPage(browser, { width, lang, storeLang: Boolean(params.lang), problems });
const axe = [];
const { nav, heading, settle, login: signIn } = moves(page, { L, base });

/** Runs axe-core on the page as it is now; every violation fails the journey. */
async function checkA11y(name) {
  await checkState(page, {
    name, width, fail: (m) => { throw new Error(m); },
    record: (scrollWidth, violations) => axe.push({ page: `${name} (${width} px, ${lang})`, violations, width, scrollWidth }),
  });
}

/** Signs in, the form checked with axe-core first. */
async function login(email, password) {
  await signIn(email, password, { beforeSubmit: () => checkA11y("login") });
}

const journeys = {
  /** A provider registers, finds a call, asks a question, bids, replaces the bid. */
  async provider() {
    await page.goto(`${base}/`);
    await heading(L["calls.title"]);
    await checkA11y("calls");
    await nav("nav.register");
    await heading(L["account.registerTitle"]);
    await page.getByLabel(L["account.organizationName"]).fill(params.company);
    const businessId = page.getByLabel(L["account.businessId"]);
    await businessId.fill(params.badBusinessId);
    await page.getByText(L["account.businessId.checksum"]).waitFor();
    await checkA11y("register, with an error on the business ID");
    await businessId.fill(params.businessId);
    await page.getByText(L["account.businessId.checksum"]).waitFor({ state: "hidden" });
    await page.getByLabel(L["account.name"]).fill("Maija Myyjä");
    await page.getByLabel(L["account.email"]).fill(params.email);
    await page.getByLabel(L["account.password"]).fill(params.password);
    await page.getByRole("button", { name: L["account.register"] }).click();
    await heading(L["calls.title"]);

    await page.getByRole("searchbox", { name: L["calls.search"] }).fill(params.search);
    await page.getByRole("button", { name: L["calls.filter"] }).click();
    await page.getByText(L["calls.count"].replace("{count}", "1")).waitFor();
    await page.getByRole("link", { name: params.callTitle }).click();
    await heading(params.callTitle);
    // Ratios read as percentages, not "0,2".
    await page.getByText(L["call.minEquityRatio"].replace("{value}", lang === "fi" ? "20 %" : "20%")).waitFor();
    await page.getByText(L["call.maxSubcontractingShare"].replace("{value}", lang === "fi" ? "30 %" : "30%")).waitFor();
    await checkA11y("call, signed in as a provider");

    await page.getByLabel(L["question.text"]).fill(params.question);
    await page.getByRole("button", { name: L["question.send"] }).click();
    await page.getByText(L["question.sent"]).waitFor();

    const prices = page.getByRole("group", { name: L["bid.prices"] }).getByRole("textbox");
    for (const [i, price] of params.prices.entries()) await prices.nth(i).fill(price);
    await page.locator("#bid-total").getByText(params.expectedTotal).waitFor();
    await page.getByLabel(L["bid.annualTurnover"]).fill(lang === "fi" ? "2 000 000" : "2000000");
    await page.getByLabel(L["bid.equityRatio"]).fill(lang === "fi" ? "35 %" : "35%");
    await page.getByLabel(L["bid.creditRating"]).selectOption("AA");
    for (const box of await page.getByRole("group", { name: L["bid.capability"] }).getByRole("textbox").all()) await box.fill("40 laillistettua sairaanhoitajaa");
    await checkA11y("bid form, filled in");
    await page.getByRole("button", { name: L["bid.submit"] }).click();
    await page.getByRole("heading", { name: L["bid.receiptTitle"].replace("{version}", "1") }).waitFor();
    await page.getByText(L["bid.receiptVerified"]).waitFor();
    const first = await page.locator("[data-receipt]").getAttribute("data-receipt");

    await prices.nth(0).fill(params.replacementPrice);
    await page.locator("#bid-total").getByText(params.expectedReplacementTotal).waitFor();
    await page.getByRole("button", { name: L["bid.replace"] }).click();
    await page.getByRole("heading", { name: L["bid.receiptTitle"].replace("{version}", "2") }).waitFor();
    await page.getByText(L["bid.receiptVerified"]).waitFor();
    const second = await page.locator("[data-receipt]").getAttribute("data-receipt");
    await checkA11y("call with the receipt of the replaced bid");
    await page.screenshot({ path: `${outDir}/${journey}-${width}-${lang}-provider-journey.png`, fullPage: true });

    // The same page in the other language, money in its format.
    const other = lang === "fi" ? "en" : "fi";
    const switcher = page.getByRole("button", { name: other.toUpperCase(), exact: true });
    if (!(await switcher.isVisible())) {
      const toggle = page.locator("header.top").getByRole("button", { name: L["nav.menu"] });
      if (await toggle.isVisible() && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    }
    await switcher.click();
    await page.getByRole("heading", { name: texts[other]["bid.receiptTitle"].replace("{version}", "2") }).waitFor();
    await page.getByText(params.expectedReplacementTotalOther).first().waitFor();
    await checkA11y(`call in ${other}`);
    return { receipts: [first, second] };
  },

  /** After the deadline an orderer assigns itself as evaluator, judges capability, scores
   *  every bid, reads the comparison table and awards the call to the first-ranked bid. */
  async orderer() {
    await login(params.email, params.password);
    await nav("nav.ordererCalls");
    await heading(L["nav.ordererCalls"]);
    await checkA11y("orderer's calls");
    await page.getByRole("link", { name: params.callTitle }).click();
    await heading(params.callTitle);
    await page.getByRole("table", { name: L["orderer.comparison"] }).waitFor();
    await page.getByLabel(L["orderer.answerTo"].replace("{question}", params.question)).fill(params.answer);
    await settle(() => page.getByRole("button", { name: L["orderer.answer"] }).click());
    await page.getByText(params.answer).waitFor();
    await page.getByLabel(L["orderer.evaluator"]).selectOption({ label: params.evaluatorName });
    await settle(() => page.getByRole("button", { name: L["orderer.assign"] }).click());
    for (const bidder of params.bidders) {
      const panel = page.locator("section.panel").filter({ has: page.getByRole("heading", { name: bidder, exact: true }) });
      for (const box of await panel.getByRole("radio", { name: L["orderer.met"], exact: true }).all()) await box.check();
      await settle(() => panel.getByRole("button", { name: L["orderer.saveJudgement"] }).click());
      const again = page.locator("section.panel").filter({ has: page.getByRole("heading", { name: bidder, exact: true }) });
      for (const box of await again.getByRole("spinbutton").all()) await box.fill(String(params.points));
      await settle(() => again.getByRole("button", { name: L["orderer.saveScores"] }).click());
    }
    const table = page.getByRole("table", { name: L["orderer.comparison"] });
    await table.getByRole("row", { name: new RegExp(`^1 ${params.winner}`) }).waitFor();
    await checkA11y("evaluation with the comparison table");
    await page.getByLabel(L["orderer.winner"]).selectOption({ label: `1. ${params.winner}` });
    await page.getByLabel(L["orderer.justification"]).fill(params.justification);
    await page.getByRole("button", { name: L["orderer.award"] }).click();
    await settle(() => page.getByRole("dialog").getByRole("button", { name: L["orderer.award"] }).click());
    await page.getByText(L["orderer.awardedTo"].replace("{bidder}", params.winner)).waitFor();
    await checkA11y("awarded call");
    await page.screenshot({ path: `${outDir}/orderer-journey.png`, fullPage: true });
    return {};
  },

  /** After the standstill the orderer makes the contract from the award and signs it; the
   *  provider signs it on the same page; the orderer activates it. Then the orderer tries the
   *  new-call form with a mistake and sees the error beside its field. */
  async contract() {
    await login(params.email, params.password);
    await nav("nav.ordererCalls");
    // The orderer's list, not the public one still on screen: its link opens the call's management.
    await heading(L["nav.ordererCalls"]);
    await page.getByRole("link", { name: params.callTitle }).click();
    await heading(params.callTitle);
    await settle(() => page.getByRole("button", { name: L["orderer.makeContract"] }).click());
    const contractHeading = L["contract.heading"].replace("{producer}", params.producer);
    await heading(contractHeading);
    await page.getByText(L["contract.activationNeedsBoth"]).waitFor();
    if (await page.getByRole("button", { name: L["contract.activate"] }).count()) throw new Error("activation offered before the signatures");
    await checkA11y("contract, draft, unsigned");
    const sign = async () => {
      await page.getByRole("button", { name: L["contract.sign"] }).click();
      await settle(() => page.getByRole("dialog").getByRole("button", { name: L["contract.sign"] }).click());
      await page.getByRole("button", { name: L["contract.sign"] }).waitFor({ state: "detached" });
    };
    await sign();
    const contractUrl = page.url();
    // The provider signs for its organisation on the same page.
    await signIn(params.providerEmail, params.password, { clearSession: true });
    await page.goto(contractUrl);
    await heading(contractHeading);
    await checkA11y("contract, signed by the orderer, as the provider");
    await sign();
    await signIn(params.email, params.password, { clearSession: true });
    await page.goto(contractUrl);
    await heading(contractHeading);
    await checkA11y("contract, draft, signed by both");
    await page.getByRole("button", { name: L["contract.activate"] }).click();
    await settle(() => page.getByRole("dialog").getByRole("button", { name: L["contract.activate"] }).click());
    await page.getByText(L["contractStatus.ACTIVE"], { exact: false }).first().waitFor();
    const url = page.url();

    await nav("nav.newCall");
    await heading(L["nav.newCall"]);
    await page.getByLabel(L["newCall.title"]).fill("Ateriapalvelu 2027");
    await page.getByLabel(L["newCall.description"]).fill("Kotiin kuljetettavat ateriat");
    await page.getByLabel(L["newCall.lineQuantity"].replace("{n}", "1")).fill("-5");
    await page.getByLabel(L["newCall.contractStart"]).fill("2027-06-01");
    await page.getByLabel(L["newCall.contractEnd"]).fill("2028-05-31");
    await page.getByLabel(L["newCall.questionsDeadline"]).fill(params.questionsDeadline);
    await page.getByLabel(L["newCall.submissionDeadline"]).fill(params.submissionDeadline);
    await page.getByLabel(L["newCall.criterionName"].replace("{n}", "1")).fill("Laatu");
    await page.getByLabel(L["newCall.criterionWeight"].replace("{n}", "1")).fill("40");
    await page.getByLabel(L["newCall.criterionMaxPoints"].replace("{n}", "1")).fill("10");
    await page.getByRole("button", { name: L["newCall.create"] }).click();
    const quantity = page.getByLabel(L["newCall.lineQuantity"].replace("{n}", "1"));
    await page.locator("[aria-invalid=true]").first().waitFor();
    await checkA11y("new call, with errors beside the fields");
    await page.screenshot({ path: `${outDir}/orderer-new-call-errors.png`, fullPage: true });
    const invalid = await quantity.getAttribute("aria-invalid");
    // Corrected, the draft is created and published.
    await quantity.fill("100");
    await page.getByRole("button", { name: L["newCall.create"] }).click();
    await heading("Ateriapalvelu 2027");
    await page.getByText(L["status.DRAFT"]).first().waitFor();
    await page.getByRole("button", { name: L["orderer.publish"] }).click();
    await settle(() => page.getByRole("dialog").getByRole("button", { name: L["orderer.publish"] }).click());
    await page.getByText(L["status.PUBLISHED"]).first().waitFor();
    await checkA11y("the new call, published");
    return { contractUrl: url, quantityInvalid: invalid };
  },

  /** The contract's page with its monthly reports and the realisation chart. */
  async realisation() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/contracts/${params.contractId}`);
    await heading(L["contract.heading"].replace("{producer}", params.producer));
    // Months read in words ("tammikuu 2027"), as the portal's month() writes them.
    const [y, m] = params.reportedMonth.split("-").map(Number);
    const monthText = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fi-FI", { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 1));
    await page.getByRole("table", { name: L["contract.byMonth"] }).getByRole("row", { name: new RegExp(monthText) }).waitFor();
    await page.locator("svg.chart polyline").nth(1).waitFor();
    // The chart's axis: months in words (the reported month's short name is there), no
    // label a bare month number, none cut off or overlapping its neighbour.
    const shortName = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fi-FI", { month: "short", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 1));
    const axis = await page.locator("svg.chart").evaluate((svg) => {
      const width = svg.viewBox.baseVal.width;
      const texts = [...svg.querySelectorAll("text")].map((t) => { const b = t.getBBox(); return { text: t.textContent, x0: b.x, x1: b.x + b.width, y: b.y }; });
      return { width, texts };
    });
    if (!axis.texts.some((x) => x.text === shortName)) throw new Error(`the chart has no label ${shortName}: ${JSON.stringify(axis.texts)}`);
    if (axis.texts.some((x) => /^\d{1,2}$/.test(x.text))) throw new Error(`a month labelled by number: ${JSON.stringify(axis.texts)}`);
    const cut = axis.texts.filter((x) => x.x0 < 0 || x.x1 > axis.width);
    if (cut.length) throw new Error(`chart labels cut off: ${JSON.stringify(cut)}`);
    const row = [...axis.texts].filter((x) => Math.abs(x.y - axis.texts[1].y) < 1).sort((a, b) => a.x0 - b.x0);
    for (let i = 1; i < row.length; i++) if (row[i].x0 < row[i - 1].x1) throw new Error(`chart labels overlap: ${JSON.stringify(row)}`);
    await checkA11y("contract with reports and the realisation chart");
    await page.screenshot({ path: `${outDir}/contract-realisation.png`, fullPage: true });
    await nav("nav.notifications");
    await heading(L["nav.notifications"]);
    await checkA11y("notifications");
    return {};
  },

  /** An in-house producer saves a cost calculation and opens the benchmark. */
  async inhouse() {
    await login(params.email, params.password);
    await nav("nav.benchmark");
    await heading(L["nav.benchmark"]);
    const form = page.locator("form").filter({ has: page.getByRole("heading", { name: L["bench.saveTitle"] }) });
    await form.getByLabel(L["bench.year"]).fill(String(params.year));
    await form.getByLabel(L["bench.volume"]).fill("1000");
    await form.getByLabel(L["bench.directCosts"]).fill(lang === "fi" ? "38 000" : "38000");
    await form.getByLabel(L["bench.overheadRate"]).fill(lang === "fi" ? "10 %" : "10%");
    await form.getByRole("button", { name: L["bench.save"] }).click();
    await page.getByRole("cell", { name: params.expectedUnitCost }).first().waitFor();
    const show = page.locator("form.row");
    await show.getByLabel(L["bench.year"]).fill(String(params.year));
    await show.getByRole("button", { name: L["bench.show"] }).click();
    const figures = page.getByRole("table", { name: L["bench.figures"] });
    await figures.getByRole("row", { name: new RegExp(L["bench.median"]) }).getByRole("cell", { name: params.expectedMedian }).waitFor();
    await page.locator("svg.chart").waitFor();
    await checkA11y("benchmark with its chart");
    await page.screenshot({ path: `${outDir}/inhouse-benchmark.png`, fullPage: true });
    return {};
  },

  /** After the award: the provider sees its rank and score under "my bids". */
  async rank() {
    await login(params.email, params.password);
    await nav("nav.myBids");
    await heading(L["nav.myBids"]);
    const row = page.getByRole("row", { name: new RegExp(params.callTitle) });
    await row.getByRole("cell", { name: String(params.rank), exact: true }).waitFor();
    await checkA11y("my bids, after the award");
    await page.getByRole("link", { name: params.callTitle }).click();
    await page.getByRole("heading", { name: L["call.award"] }).waitFor();
    await checkA11y("call with its award ranking");
    await page.screenshot({ path: `${outDir}/provider-rank.png`, fullPage: true });
    return {};
  },

  /** GraphiQL at /graphql: every file from this origin, no CSP violation, and a query runs. */
  async graphiql() {
    const foreign = [];
    page.on("request", (r) => { if (!r.url().startsWith(`${base}/`) && !r.url().startsWith("data:")) foreign.push(r.url()); });
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
    });
    const response = await page.goto(`${base}/graphql`);
    const csp = response.headers()["content-security-policy"];
    const editor = ".graphiql-query-editor .CodeMirror";
    await page.locator(editor).waitFor();
    await page.evaluate(([sel, q]) => document.querySelector(sel).CodeMirror.setValue(q), [editor, params.query]);
    await page.getByRole("button", { name: /execute query/i }).click();
    const answer = ".graphiql-response .CodeMirror";
    await page.waitForFunction((sel) => {
      const r = document.querySelector(sel);
      return r && r.CodeMirror.getValue().includes('"data"');
    }, answer);
    const result = JSON.parse(await page.evaluate((sel) => document.querySelector(sel).CodeMirror.getValue(), answer));
    const violations = await page.evaluate(() => window.cspViolations);
    await page.screenshot({ path: `${outDir}/graphiql.png` });
    if (violations.length) throw new Error(`CSP violations: ${violations.join("\n")}`);
    if (foreign.length) throw new Error(`requests to other origins: ${foreign.join("\n")}`);
    if (problems.length) throw new Error(`browser errors: ${problems.join("\n")}`);
    return { csp, result };
  },

  /** An expired token: back to the login with a message, the half-filled bid kept. */
  async expiry() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const prices = page.getByRole("group", { name: L["bid.prices"] }).getByRole("textbox");
    await prices.nth(0).fill(params.draftPrice);
    // The rest of the bid, so that the browser's checks pass and the bid is sent.
    await prices.nth(1).fill("8");
    await page.getByLabel(L["bid.annualTurnover"]).fill(lang === "fi" ? "2 000 000" : "2000000");
    await page.getByLabel(L["bid.equityRatio"]).fill(lang === "fi" ? "35 %" : "35%");
    await page.getByLabel(L["bid.creditRating"]).selectOption("AA");
    for (const box of await page.getByRole("group", { name: L["bid.capability"] }).getByRole("textbox").all()) await box.fill("40 laillistettua sairaanhoitajaa");
    await page.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem("kilpailutus.session"));
      s.token = "expired.or.revoked";
      sessionStorage.setItem("kilpailutus.session", JSON.stringify(s));
    });
    await page.getByRole("button", { name: L["bid.submit"] }).click();
    await page.getByText(L["account.expired"]).waitFor();
    await checkA11y("login after expiry");
    await page.getByLabel(L["account.email"]).fill(params.email);
    await page.getByLabel(L["account.password"]).fill(params.password);
    await page.getByRole("button", { name: L["account.login"] }).click();
    await heading(params.callTitle);
    const kept = await page.getByRole("group", { name: L["bid.prices"] }).getByRole("textbox").nth(0).inputValue();
    if (kept !== params.draftPrice) throw new Error(`the draft was lost: ${kept}`);
    await page.screenshot({ path: `${outDir}/expiry.png`, fullPage: true });
    return { kept };
  },

  /** Signing out revokes the token on the server, not only in this tab. */
  async signout() {
    await login(params.email, params.password);
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem("kilpailutus.session")).token);
    const toggle = page.locator("header.top").getByRole("button", { name: L["nav.menu"] });
    if (await toggle.isVisible() && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await page.getByRole("button", { name: L["nav.logout"] }).click();
    await heading(L["account.loginTitle"]);
    const left = await page.evaluate(() => sessionStorage.getItem("kilpailutus.session"));
    if (left !== null) throw new Error("the session was kept after signing out");
    return { token };
  },
};

await finish({
  browser, journeys, journey, problems, tolerated: ["401", "Failed to load resource"], states: axe, statesKey: "axe", label: journey,
  failureShot: () => page.screenshot({ path: `${outDir}/${journey}-failure.png`, fullPage: true }),
});
