// Browser journeys through the work pages (contracts, budget, audit, settings) and the
// narrow layout, each run at a given width and language (1280 px and 390 px, Finnish and
// English, by tests/e2e/portal.rs), every state checked with axe-core and, at 390 px, that the
// page does not scroll sideways (document.documentElement.scrollWidth <= 390).
//
//   node pages-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, width, lang, L, tr, page, check, fail, heading, settle, narrow, rendered, navigate, login, signOut, done } = await statesJourney("pages");

const journeys = {
  /** The pages that were too wide at 390 px, and the compact header's menu. */
  async layout() {
    await page.goto(`${base}/#/calls`);
    await heading(L["calls.title"]);
    const toggle = page.getByRole("button", { name: L["nav.menu"] });
    const header = await page.locator("header.top").boundingBox();
    if (narrow) {
      if (!(await toggle.isVisible())) throw new Error("no menu button at a narrow width");
      if (await page.getByRole("link", { name: L["nav.register"] }).isVisible()) throw new Error("the menu is open before it is asked for");
      if (header.height > 80) throw new Error(`the header is ${header.height} px high`);
      await check("calls, menu closed");
      await toggle.focus();
      await page.keyboard.press("Enter");
      if ((await toggle.getAttribute("aria-expanded")) !== "true") throw new Error("the menu did not open from the keyboard");
      await page.getByRole("link", { name: L["nav.register"] }).waitFor();
      await check("calls, menu open");
      await page.keyboard.press("Escape");
      await page.getByRole("link", { name: L["nav.register"] }).waitFor({ state: "hidden" });
      if ((await page.evaluate(() => document.activeElement?.id)) !== "menu-toggle") throw new Error("Escape did not return focus to the menu button");
    } else {
      if (await toggle.isVisible()) throw new Error("a menu button at a wide width");
      await check("calls");
    }
    await page.getByRole("link", { name: params.callTitle }).first().click();
    await heading(params.callTitle);
    await check("call, anonymous");
    await navigate("nav.register");
    await check("register");
    await navigate("nav.login");
    await check("login");

    await login(params.providerEmail, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    await check("call with the provider's bid form");
    await navigate("nav.myBids");
    await page.getByRole("link", { name: params.callTitle }).waitFor();
    await check("my bids");
    await navigate("nav.myContracts");
    await check("my contracts, none");
    await navigate("nav.notifications");
    await check("notifications");
    await navigate("nav.settings");
    await check("settings");
    await signOut();

    await login(params.inHouseEmail, params.password);
    await navigate("nav.benchmark");
    await check("benchmark");
    await signOut();

    await login(params.ordererEmail, params.password);
    await navigate("nav.newCall");
    await check("new call");
    await navigate("nav.ordererCalls");
    await check("orderer's calls and contracts");
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    await check("orderer's call");
    await page.goto(`${base}/#/orderer/calls/${params.closedId}`);
    await heading(params.closedTitle);
    await page.getByRole("table", { name: L["orderer.comparison"] }).waitFor();
    await check("orderer's call in evaluation, with the comparison table");
    await page.goto(`${base}/#/contracts/${params.contractId}`);
    await page.getByRole("heading", { level: 1, name: tr("contract.heading", { producer: params.producer }) }).waitFor();
    await check("contract");
    return {};
  },

  /** Budget and portfolio, a direct contract, an amendment, a termination, a tie, the log. */
  async orderer() {
    await login(params.email, params.password);
    await navigate("nav.budget");
    await page.getByRole("table", { name: L["budget.appropriations"] }).waitFor();
    const share = await page.locator("[data-share]").getAttribute("data-share");
    await check("budget and portfolio");

    await navigate("nav.directContract");
    await page.getByLabel(L["work.producer"]).selectOption({ label: params.producer });
    await page.getByLabel(L["work.startDate"]).fill(params.directStart);
    await page.getByLabel(L["work.endDate"]).fill(params.directBadEnd);
    await page.getByLabel(tr("work.lineProduct", { n: 1 })).selectOption({ index: 1 });
    await page.getByLabel(tr("work.lineQuantity", { n: 1 })).fill("10");
    await page.getByLabel(tr("work.lineUnitPrice", { n: 1 })).fill("5");
    await page.getByRole("button", { name: L["work.createDirect"] }).click();
    const end = page.getByLabel(L["work.endDate"]);
    await page.locator("[aria-invalid=true]").first().waitFor();
    const endInvalid = await end.getAttribute("aria-invalid");
    await check("direct contract, error beside the end date");
    await end.fill(params.directEnd);
    await page.getByRole("button", { name: L["work.createDirect"] }).click();
    await page.getByRole("heading", { level: 1, name: tr("contract.heading", { producer: params.producer }) }).waitFor();
    const direct = page.url().split("/contracts/")[1];

    // The draft just made is terminated with a reason.
    await page.goto(`${base}/#/contracts/${direct}/amend`);
    await heading(tr("work.amendHeading", { producer: params.producer }));
    await page.getByLabel(L["work.terminationReason"]).fill(params.terminationReason);
    await settle(() => page.getByRole("button", { name: L["work.terminateSubmit"] }).click());
    await page.getByText(params.terminationReason).waitFor();

    // The active contract is amended from its page: first without a reason, then with one.
    await page.goto(`${base}/#/contracts/${params.contractId}`);
    await page.getByRole("link", { name: L["work.amendLink"] }).click();
    await heading(tr("work.amendHeading", { producer: params.producer }));
    await page.getByLabel(tr("work.lineQuantity", { n: 1 })).fill(params.newQuantity);
    await page.getByRole("button", { name: L["work.amendSubmit"] }).click();
    const reason = page.getByLabel(L["work.reason"]);
    await page.locator("[aria-invalid=true]").first().waitFor();
    const reasonInvalid = await reason.getAttribute("aria-invalid");
    await check("amendment, error beside the reason");
    await reason.fill(params.amendReason);
    await page.getByLabel(L["work.effectiveFrom"]).fill(params.effectiveFrom);
    await settle(() => page.getByRole("button", { name: L["work.amendSubmit"] }).click());
    const delta = await page.locator("[data-amendment]").textContent();
    if (!delta.includes(params.expectedDelta)) throw new Error(`value delta not shown: ${delta}`);
    await check("amendment saved, its change in value shown");

    await navigate("nav.settings");
    await page.getByLabel(L["settings.organization"]).selectOption({ label: params.tieTo });
    await settle(() => page.getByRole("button", { name: L["settings.declare"] }).click());
    await page.getByRole("list", { name: L["settings.ties"] }).getByText(params.tieTo).waitFor();
    await check("settings with a declared tie");

    await navigate("nav.audit");
    await page.getByLabel(L["audit.entity"], { exact: true }).fill("contract");
    await page.getByLabel(L["audit.first"]).fill("3");
    await settle(() => page.getByRole("button", { name: L["audit.filter"] }).click());
    await page.getByText(tr("audit.count", { count: 3 })).waitFor();
    await page.getByRole("cell", { name: "contract.amend" }).first().waitFor();
    await check("audit log filtered");
    await settle(() => page.getByRole("link", { name: L["audit.more"] }).click());
    const more = await page.locator("tbody tr").count();
    return { share, endInvalid, reasonInvalid, direct, more };
  },

  /** The administration sets an appropriation and verifies the audit chain. */
  async admin() {
    await login(params.email, params.password);
    await navigate("nav.budget");
    await page.getByLabel(L["work.orderer"]).selectOption({ label: params.orderer });
    const year = page.getByLabel(L["budget.year"]).last();
    await year.fill(String(params.year));
    const amount = page.getByLabel(L["budget.amount"]);
    await amount.fill("-1");
    await page.getByRole("button", { name: L["budget.save"] }).click();
    await page.locator("[aria-invalid=true]").first().waitFor();
    const amountInvalid = await amount.getAttribute("aria-invalid");
    await check("appropriation, error beside the amount");
    await amount.fill(params.amount);
    await settle(() => page.getByRole("button", { name: L["budget.save"] }).click());
    await page.goto(`${base}/#/budget?year=${params.year}`);
    await page.getByRole("table", { name: L["budget.appropriations"] }).getByRole("cell", { name: params.expectedAmount }).first().waitFor();
    await check("appropriations of the year");
    await navigate("nav.audit");
    await page.getByRole("button", { name: L["audit.verify"] }).click();
    const verdict = page.locator("[data-verification]");
    await verdict.getByText(L["audit.valid"].split("{")[0].trim()).waitFor();
    await check("audit log, the chain verified");
    return { amountInvalid, verdict: await verdict.textContent() };
  },

  /** A producer's contracts, its monthly report (an error first), its followed categories. */
  async producer() {
    await login(params.email, params.password);
    await navigate("nav.myContracts");
    await check("my contracts");
    await page.getByRole("link", { name: tr("work.reportFor", { orderer: params.orderer }) }).first().click();
    await heading(tr("work.reportHeading", { orderer: params.orderer }));
    const period = page.getByLabel(L["work.period"]);
    await period.fill("2099-01");
    for (const [code, quantity, cost] of params.lines) {
      await page.getByLabel(tr("work.quantityOf", { product: code })).fill(quantity);
      await page.getByLabel(tr("work.costOf", { product: code })).fill(cost);
    }
    await page.getByLabel(L["work.feedbackCount"]).fill("7");
    await page.getByLabel(L["work.feedbackAverage"]).fill(lang === "fi" ? "4,5" : "4.5");
    await page.getByLabel(tr("work.metric", { n: 1 }), { exact: true }).fill("punctuality");
    await page.getByLabel(tr("work.metricValue", { n: 1 })).fill("0.97");
    await page.getByRole("button", { name: L["work.sendReport"] }).click();
    await page.locator("[aria-invalid=true]").first().waitFor();
    const periodInvalid = await period.getAttribute("aria-invalid");
    await check("report, error beside the period");
    await period.fill(params.period);
    await settle(() => page.getByRole("button", { name: L["work.sendReport"] }).click());
    // The month in words, as the portal's month() writes it ("joulukuu 2026").
    const [py, pm] = params.period.split("-").map(Number);
    const inWords = new Intl.DateTimeFormat(lang === "fi" ? "fi-FI" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(py, pm - 1, 1));
    await page.getByRole("cell", { name: inWords, exact: true }).waitFor();
    await check("report sent");

    await navigate("nav.settings");
    await page.getByLabel(L["settings.category"]).selectOption(params.category);
    await settle(() => page.getByRole("button", { name: L["settings.subscribe"] }).click());
    const list = page.getByRole("list", { name: L["settings.subscriptions"] });
    await list.getByText(params.category).waitFor();
    await check("settings, a category followed");
    await settle(() => page.getByRole("button", { name: tr("settings.unsubscribeFrom", { category: params.category }) }).click());
    await page.getByText(L["settings.noSubscriptions"]).waitFor();
    return { periodInvalid };
  },
};

await done(journeys, ["401", "Failed to load resource"]);
