// Browser journeys for errors and formats (issue 15): every error beside its field, all at once,
// in the user's language; times in Finnish time with the zone; ratios as percentages; money
// rounded with the exact amount on demand; the benchmark readable; a bid confirmed with its
// receipt in view, printable and downloadable. Each journey runs at 1280 px and 390 px wide,
// in Finnish and in English, with axe-core (WCAG 2.1 A and AA) on every state.
// Run by tests/e2e/portal_errors.rs, which prepares the data and moves the server's clock:
//
//   node errors-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1. The setup is
// the other scripts' (portal-tests/lib.mjs).
import { journeyArgs, TEXTS, fill, launch, openPage, checkState, moves, finish } from "./lib.mjs";

const { journey, base, outDir, params } = journeyArgs();
const VARIANTS = [[1280, "fi"], [390, "fi"], [1280, "en"], [390, "en"]];
const ENGLISH_API = [/check digit of business ID/, /must (not )?be/, /equity ratio 0\.\d/, /annual turnover \d/, /credit rating [A-C]+ is/,
  /capability not yet judged/, /may have at most/, /BAD_USER_INPUT/, /\(businessId:/];

const browser = await launch();
const problems = [];
const axe = [];
let page;
let L; // the texts of the variant's language
let tag = "";
let heading; // the variant's page's moves
let login;

function fail(message) {
  throw new Error(`[${tag}] ${message}`);
}

/** Runs axe-core on the page as it is now; every violation fails the journey. */
async function checkA11y(name) {
  const width = page.viewportSize().width;
  await checkState(page, {
    name, width, fail,
    record: (scrollWidth, violations) => axe.push({ page: `${tag} ${name}`, violations, width, scrollWidth }),
  });
}

async function noEnglishApiText() {
  const text = await page.locator("main").innerText();
  for (const re of ENGLISH_API) if (re.test(text)) fail(`an API message leaked into the page: ${re} in\n${text}`);
}

/** Each variant in a fresh browser context: its width, its language, no session. */
async function eachVariant(run) {
  const results = [];
  for (const [width, lang] of VARIANTS) {
    tag = `${width}px ${lang}`;
    L = TEXTS[lang];
    const opened = await openPage(browser, { width, lang, extra: { acceptDownloads: true }, problems, prefix: `[${tag}] ` });
    const context = opened.context;
    page = opened.page;
    ({ heading, login } = moves(page, { L, base }));
    try {
      results.push(await run({ width, lang }));
    } catch (e) {
      await page.screenshot({ path: `${outDir}/errors-${journey}-${width}-${lang}-failure.png`, fullPage: true }).catch(() => {});
      throw e;
    }
    await context.close();
  }
  return results;
}

const invalidNames = () => page.locator("[aria-invalid=true]").evaluateAll((els) => els.map((e) => e.getAttribute("name")));
const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute("name") || document.activeElement?.id || null);

const journeys = {
  /** Findings 1, 2 and 4 for a provider: the bid form's errors, all at once beside their
   *  fields, live checks of prices, an explicit credit rating, percentages; then the bid is
   *  confirmed, its receipt in view, printable and downloadable; the server's errors are worded
   *  in the user's language; figures come back in the user's format. */
  async bid() {
    return eachVariant(async ({ width, lang }) => {
      const sent = [];
      page.on("request", (r) => { if (r.url().endsWith("/graphql") && (r.postData() || "").includes("submitBid")) sent.push(r.postData()); });
      await login(params.email, params.password);
      await page.goto(`${base}/#/calls/${params.callId}`);
      await heading(params.callTitle);
      const prices = page.getByRole("group", { name: L["bid.prices"] }).getByRole("textbox");
      const rating = page.getByLabel(L["bid.creditRating"]);
      const first = sent.length === 0 && !(await page.locator("[data-receipt]").count());
      if (first && (await rating.inputValue()) !== "") fail("the credit rating is preselected");

      // Live: a negative price and one with five decimals are marked as they are typed.
      await prices.nth(0).fill("-5");
      await prices.nth(1).fill(lang === "fi" ? "8,12345" : "8.12345");
      await page.getByText(L["rule.NEGATIVE"]).waitFor();
      await page.getByText(fill(L["rule.TOO_MANY_DECIMALS"], { max: 4 })).waitFor();
      if (!(await page.locator("#bid-total").innerText()).includes(L["bid.totalIncomplete"])) fail("a total was computed from refused prices");
      await checkA11y("bid form, prices refused as typed");

      // Submit with an empty price, a ratio typed "35 %", no rating, no statement: every
      // error at once, each beside its field, focus on the first; nothing is sent.
      await prices.nth(0).fill("");
      await page.getByLabel(L["bid.annualTurnover"]).fill("");
      await page.getByLabel(L["bid.equityRatio"]).fill("35 %");
      if (!first) await rating.selectOption("");
      const evidence = page.getByRole("group", { name: L["bid.capability"] }).getByRole("textbox");
      for (const box of await evidence.all()) await box.fill("");
      await page.getByRole("button", { name: first ? L["bid.submit"] : L["bid.replace"] }).click();
      await page.getByText(fill(L["form.problems"], { count: 5 })).waitFor();
      const invalid = await invalidNames();
      const expected = ["lines[0].unitPrice", "lines[1].unitPrice", "annualTurnover", "creditRating", "capabilityResponses[0].evidence"];
      if (JSON.stringify(invalid) !== JSON.stringify(expected)) fail(`fields in error: ${JSON.stringify(invalid)}`);
      if ((await focusedName()) !== "lines[0].unitPrice") fail(`focus is on ${await focusedName()}`);
      if (sent.length) fail("the bid was sent with errors the browser could see");
      await page.locator(".field", { has: page.getByLabel(L["bid.creditRating"]) }).getByText(L["rule.REQUIRED"]).waitFor();
      await noEnglishApiText();
      await checkA11y("bid form, every error beside its field");
      await page.screenshot({ path: `${outDir}/errors-bid-${width}-${lang}.png`, fullPage: true });

      // The server's own refusal (a price the browser lets through is changed on the way) is
      // shown beside the field, in the user's language from extensions.rule and params.
      await prices.nth(0).fill(lang === "fi" ? "45,50" : "45.50");
      await prices.nth(1).fill("8");
      await page.getByLabel(L["bid.annualTurnover"]).fill("1200000");
      await page.getByLabel(L["bid.equityRatio"]).fill(lang === "fi" ? "18 %" : "18%");
      await rating.selectOption("AA");
      for (const box of await evidence.all()) await box.fill("40 laillistettua sairaanhoitajaa");
      await page.route("**/graphql", async (route) => {
        const body = JSON.parse(route.request().postData() || "{}");
        if (!body.query?.includes("submitBid")) return route.continue();
        body.variables.i.subcontractingShare = "0.5";
        await route.continue({ postData: JSON.stringify(body) });
      });
      await page.getByRole("button", { name: first ? L["bid.submit"] : L["bid.replace"] }).click();
      const cap = lang === "fi" ? "30 %" : "30%";
      await page.getByText(fill(L["rule.ABOVE_CAP"], { max: cap })).waitFor();
      if ((await focusedName()) !== "subcontractingShare") fail(`focus after the server's error is on ${await focusedName()}`);
      await noEnglishApiText();
      await checkA11y("bid form, the server's error beside its field");
      await page.unroute("**/graphql");

      // Accepted: a message, the receipt in view and focused, printable and downloadable.
      await page.getByRole("button", { name: first ? L["bid.submit"] : L["bid.replace"] }).click();
      const status = page.getByRole("status").filter({ hasText: L["bid.saved"].split("{")[0].trim() });
      await status.waitFor();
      if ((await focusedName()) !== "receipt") fail(`after the bid the focus is on ${await focusedName()}`);
      const box = await page.locator("#receipt").boundingBox();
      if (!box || box.y < -1 || box.y > 900) fail(`the receipt is not in view: ${JSON.stringify(box)}`);
      await page.getByRole("button", { name: L["bid.print"] }).waitFor();
      const shown = await page.locator("[data-receipt]").getAttribute("data-receipt");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: L["bid.download"] }).click()]);
      // Read through a stream: a download's path is not given to a browser connected remotely.
      const bytes = [];
      for await (const chunk of await download.createReadStream()) bytes.push(chunk);
      const file = JSON.parse(Buffer.concat(bytes).toString("utf8"));
      if (file.receipt !== shown || !file.canonical.includes(file.submittedAt)) fail(`the downloaded receipt differs: ${JSON.stringify(file)}`);
      await checkA11y("the bid accepted, its receipt in view");
      await page.screenshot({ path: `${outDir}/errors-receipt-${width}-${lang}.png` });
      // Printed, only the receipt shows.
      await page.evaluate(() => document.body.classList.add("print-receipt"));
      await page.emulateMedia({ media: "print" });
      const printed = await page.evaluate(() => ({
        form: getComputedStyle(document.querySelector("form button[type=submit]")).visibility,
        receipt: getComputedStyle(document.querySelector("#receipt h3")).visibility,
      }));
      await page.emulateMedia({ media: "screen" });
      await page.evaluate(() => document.body.classList.remove("print-receipt"));
      if (printed.form !== "hidden" || printed.receipt !== "visible") fail(`print shows ${JSON.stringify(printed)}`);

      // Reloaded: the time in Finnish time with its zone, figures in the user's format.
      await page.reload();
      await heading(params.callTitle);
      const received = await page.locator("#receipt").innerText();
      const zone = lang === "fi" ? /klo \d{1,2}\.\d{2} \(EES?T\)/ : /\d{1,2} \w{3} \d{4}, \d{2}:\d{2} EES?T/;
      if (!zone.test(received)) fail(`the receipt's time has no zone: ${received}`);
      const turnover = await page.getByLabel(L["bid.annualTurnover"]).inputValue();
      if (!(lang === "fi" ? /^1\u00a0200\u00a0000(,00)?$/ : /^1,200,000(\.00)?$/).test(turnover)) fail(`turnover reloads as ${turnover}`);
      const equity = await page.getByLabel(L["bid.equityRatio"]).inputValue();
      if (equity !== "18") fail(`equity ratio reloads as ${equity}`);
      await checkA11y("the call reloaded after the bid");
      return { width, lang, invalid, receipt: shown };
    });
  },

  /** Finding 3 and the cost form: the benchmark picks the latest year with market bids and
   *  says so, rounds with the exact figures on demand, explains the index, scales its axis to
   *  the data and keeps every label inside the chart; the cost form shows all errors at once. */
  async benchmark() {
    return eachVariant(async ({ width, lang }) => {
      await login(params.email, params.password);
      await page.goto(`${base}/#/benchmark`);
      await heading(L["nav.benchmark"]);
      await page.getByText(fill(L["bench.yearPicked"], { year: params.year })).waitFor();
      await page.getByText(L["bench.indexExplain"]).waitFor();

      const form = page.locator("form").filter({ has: page.getByRole("heading", { name: L["bench.saveTitle"] }) });
      await form.getByLabel(L["bench.year"]).fill(String(params.year));
      await form.getByLabel(L["bench.volume"]).fill("");
      await form.getByLabel(L["bench.directCosts"]).fill("-5");
      await form.getByLabel(L["bench.overheadRate"]).fill("abc");
      await form.getByRole("button", { name: L["bench.save"] }).click();
      await form.getByText(fill(L["form.problems"], { count: 3 })).waitFor();
      const invalid = await invalidNames();
      if (JSON.stringify(invalid) !== JSON.stringify(["volume", "directCosts", "overheadRate"])) fail(`cost form fields in error: ${JSON.stringify(invalid)}`);
      if ((await focusedName()) !== "volume") fail(`focus is on ${await focusedName()}`);
      await form.getByText(L["rule.NOT_A_PERCENT"]).waitFor();
      await noEnglishApiText();
      await checkA11y("cost form, every error beside its field");

      await form.getByLabel(L["bench.volume"]).fill("3");
      await form.getByLabel(L["bench.directCosts"]).fill(lang === "fi" ? "143,75" : "143.75");
      await form.getByLabel(L["bench.overheadRate"]).fill(lang === "fi" ? "10 %" : "10%");
      await form.getByRole("button", { name: L["bench.save"] }).click();
      // 143.75 x 1.1 / 3 = 52.708333…: rounded to cents, the exact amount on demand.
      const rounded = lang === "fi" ? "52,71 €" : "52.71 €";
      const figures = page.getByRole("table", { name: L["bench.figures"] });
      const own = figures.getByRole("row", { name: new RegExp(L["bench.ownCost"]) }).locator(".money-rounded");
      await own.waitFor();
      const title = await own.getAttribute("title");
      if (!(await own.innerText()).startsWith(rounded) || !/52[.,]708333/.test(title)) fail(`own cost shown as ${await own.innerText()} (${title})`);
      const text = await page.locator("main").innerText();
      if (/\d[.,]\d{5,}/.test(text.replace(/\(.*?\)/g, ""))) fail(`an unrounded amount is shown: ${text}`);
      if (!text.includes(lang === "fi" ? "10 %" : "10%")) fail("the overhead rate is not shown as a percentage");

      // The chart: every label inside the viewBox, the axis spread over the figures' range.
      const chart = await page.locator("svg.chart").evaluate((svg) => {
        const vb = svg.viewBox.baseVal;
        const texts = [...svg.querySelectorAll("text")].map((t) => { const b = t.getBBox(); return { text: t.textContent, x0: b.x, x1: b.x + b.width }; });
        const band = svg.querySelector("rect");
        return { width: vb.width, texts, band: band ? Number(band.getAttribute("width")) : 0 };
      });
      const outside = chart.texts.filter((t) => t.x0 < 0 || t.x1 > chart.width);
      if (outside.length) fail(`labels cut off: ${JSON.stringify(outside)}`);
      if (chart.band < chart.width * 0.25) fail(`the market's range is crowded into ${chart.band} of ${chart.width}`);
      await checkA11y("benchmark with the saved calculation");
      await page.screenshot({ path: `${outDir}/errors-benchmark-${width}-${lang}.png`, fullPage: true });
      return { width, lang, chart };
    });
  },

  /** Registering: every problem at once, the check digit's right value named, in the user's
   *  language (the old page showed "(businessId: the check digit … should be 1)"). */
  async register() {
    return eachVariant(async ({ width, lang }) => {
      await page.goto(`${base}/#/register`);
      await heading(L["account.registerTitle"]);
      await page.getByLabel(L["account.organizationName"]).fill("Virhe Oy");
      await page.getByLabel(L["account.businessId"]).fill(params.badBusinessId);
      await page.getByLabel(L["account.name"]).fill("Ville Virhe");
      await page.getByLabel(L["account.email"]).fill("ville.virhe.example.fi");
      await page.getByLabel(L["account.password"]).fill("short");
      await page.getByRole("button", { name: L["account.register"] }).click();
      await page.getByText(fill(L["form.problems"], { count: 3 })).waitFor();
      const invalid = await invalidNames();
      if (JSON.stringify(invalid) !== JSON.stringify(["businessId", "email", "password"])) fail(`fields in error: ${JSON.stringify(invalid)}`);
      if ((await focusedName()) !== "businessId") fail(`focus is on ${await focusedName()}`);
      await page.getByText(fill(L["rule.CHECK_DIGIT"], { expected: params.expectedDigit })).waitFor();
      await page.getByText(fill(L["rule.TOO_SHORT"], { min: 8 })).waitFor();
      await noEnglishApiText();
      await checkA11y("register, every error beside its field");
      return { width, lang };
    });
  },

  /** The new-call form: every missing field at once; the server's refusal beside its field in
   *  the user's language; deadlines typed in Finnish time (winter and summer). */
  async newCall() {
    return eachVariant(async ({ width, lang }) => {
      await login(params.email, params.password);
      await page.goto(`${base}/#/orderer/new`);
      await heading(L["nav.newCall"]);
      await page.getByRole("button", { name: L["newCall.create"] }).click();
      await page.getByText(fill(L["form.problems"], { count: 10 })).waitFor();
      const invalid = await invalidNames();
      if (invalid.length !== 10 || invalid[0] !== "title") fail(`fields in error: ${JSON.stringify(invalid)}`);
      if ((await focusedName()) !== "title") fail(`focus is on ${await focusedName()}`);
      await checkA11y("new call, every missing field beside itself");
      const title = `Ateriapalvelu ${lang} ${width}`;
      await page.getByLabel(L["newCall.title"]).first().fill(title);
      await page.getByLabel(L["newCall.description"]).fill("Kotiin kuljetettavat ateriat");
      const quantity = page.getByLabel(fill(L["newCall.lineQuantity"], { n: 1 }));
      await quantity.fill("-5");
      await page.getByLabel(L["newCall.contractStart"]).fill("2027-06-01");
      await page.getByLabel(L["newCall.contractEnd"]).fill("2028-05-31");
      await page.getByLabel(L["newCall.questionsDeadline"]).fill(params.questionsDeadline);
      await page.getByLabel(L["newCall.submissionDeadline"]).fill(params.submissionDeadline);
      await page.getByLabel(fill(L["newCall.criterionName"], { n: 1 })).fill("Laatu");
      await page.getByLabel(fill(L["newCall.criterionWeight"], { n: 1 })).fill("40");
      await page.getByLabel(fill(L["newCall.criterionMaxPoints"], { n: 1 })).fill("10");
      await page.getByRole("button", { name: L["newCall.create"] }).click();
      await page.getByText(L["rule.NOT_POSITIVE"]).waitFor();
      if ((await focusedName()) !== "lines[0].quantity") fail(`focus after the server's error is on ${await focusedName()}`);
      await noEnglishApiText();
      await checkA11y("new call, the server's error beside its field");
      await quantity.fill("100");
      await page.getByRole("button", { name: L["newCall.create"] }).click();
      await heading(title);
      return { width, lang, callId: page.url().split("/").pop() };
    });
  },

  /** Notifications worded in the user's language from their event. */
  async notifications() {
    return eachVariant(async ({ width, lang }) => {
      await login(params.email, params.password);
      await page.goto(`${base}/#/notifications`);
      await heading(L["nav.notifications"]);
      await page.getByRole("cell", { name: fill(L["notice.bid.submitted"], { title: params.callTitle }) }).first().waitFor();
      const text = await page.locator("main").innerText();
      if (lang === "fi" && /Bid (received|replaced)/.test(text)) fail(`English subjects in the Finnish page: ${text}`);
      if (!/\(EES?T\)|EES?T/.test(text)) fail("notification times have no zone");
      await checkA11y("notifications");
      return { width, lang };
    });
  },

  /** The orderer's comparison: disqualification reasons worded from their codes. */
  async reasons() {
    return eachVariant(async ({ width, lang }) => {
      await login(params.email, params.password);
      await page.goto(`${base}/#/orderer/calls/${params.callId}`);
      await heading(params.callTitle);
      const table = page.getByRole("table", { name: L["orderer.comparison"] });
      await table.waitFor();
      const pct = (n) => (lang === "fi" ? `${n} %` : `${n}%`);
      await table.getByText(fill(L["reason.EQUITY_RATIO_BELOW"], { actual: pct(18), required: pct(20) })).first().waitFor();
      await noEnglishApiText();
      await checkA11y("comparison with reasons");
      await page.screenshot({ path: `${outDir}/errors-reasons-${width}-${lang}.png`, fullPage: true });
      return { width, lang };
    });
  },
};

await finish({
  browser, journeys, journey, problems, tolerated: ["401", "Failed to load resource"], states: axe, statesKey: "axe", label: journey,
  wrap: (variants) => ({ variants }),
});
