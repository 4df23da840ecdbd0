// A Swedish-speaking provider in a real browser, all in Swedish: registration (its e-mails in
// Swedish, the portal's language chosen by default), the call's page, the bid form, the
// verified receipt, and the receipt's e-mail listed among its notifications. Every state is
// checked with axe-core and, at 390 px, that the page does not scroll sideways.
//
//   node swedish-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, L, tr, page, check, fail, heading, done } = await statesJourney("swedish");

const journeys = {
  async provider() {
    await page.goto(`${base}/#/register`);
    await heading(L["account.registerTitle"]);
    if ((await page.locator("html").getAttribute("lang")) !== "sv") fail("the portal is not in Swedish");
    await page.getByLabel(L["account.organizationName"]).fill(params.organization);
    await page.getByLabel(L["account.businessId"]).fill(params.businessId);
    await page.getByLabel(L["account.name"]).fill(params.name);
    await page.getByLabel(L["account.email"]).fill(params.email);
    await page.getByLabel(L["account.password"]).fill(params.password);
    const language = page.getByLabel(L["account.language"]);
    if ((await language.inputValue()) !== "SV") fail("the e-mails' language is not the portal's by default");
    await check("registration, in Swedish");
    await page.getByRole("button", { name: L["account.register"] }).click();
    await heading(L["calls.title"]);

    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    await check("the call's page, in Swedish");
    const prices = page.getByRole("group", { name: L["bid.prices"] }).getByRole("textbox");
    for (const [i, price] of params.prices.entries()) await prices.nth(i).fill(price);
    await page.locator("#bid-total").getByText(params.expectedTotal).waitFor();
    await page.getByLabel(L["bid.annualTurnover"]).fill("2 000 000");
    await page.getByLabel(L["bid.equityRatio"]).fill("35 %");
    await page.getByLabel(L["bid.creditRating"]).selectOption("AA");
    for (const box of await page.getByRole("group", { name: L["bid.capability"] }).getByRole("textbox").all()) await box.fill("40 legitimerade närvårdare");
    await check("the bid form, in Swedish");
    await page.getByRole("button", { name: L["bid.submit"] }).click();
    await page.getByRole("heading", { name: tr("bid.receiptTitle", { version: 1 }) }).waitFor();
    await page.getByText(L["bid.receiptVerified"]).waitFor();
    await check("the receipt, in Swedish");
    const receipt = await page.locator("[data-receipt]").getAttribute("data-receipt");

    await page.goto(`${base}/#/notifications`);
    await heading(L["nav.notifications"]);
    await page.locator('tr[data-event="bid.submitted"]').getByText(tr("notice.bid.submitted", { title: params.callTitle })).waitFor();
    await check("the notifications, in Swedish");
    return { receipt };
  },
};

await done(journeys, ["401", "Failed to load resource"]);
