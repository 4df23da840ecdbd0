// Changes to a published call in a real browser: the orderer changes the deadline and a
// line's quantity with a reason (confirmed first, warned that the change is material) and
// sees the change listed; a provider whose bid was submitted before it sees the change on
// the call's page and that its bid is no longer current. Each run at a width and in a
// language, every state checked with axe-core and, at 390 px, that the page does not scroll
// sideways.
//
//   node changes-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, L, tr, page, check, fail, heading, settle, login, done } = await statesJourney("changes");

const journeys = {
  /** The orderer: the change form, its confirmation, and the change listed. */
  async orderer() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const summary = page.locator("summary", { hasText: L["change.title"] });
    const form = page.locator("details", { has: summary });
    await summary.click();
    await form.locator('[data-field="submissionDeadline"] input').fill(params.submissionDeadline);
    await form.locator('[data-field="lines[0].quantity"] input').fill(params.quantity);
    await check("the change form, filled");
    // Without a reason the form says so beside the field and sends nothing.
    await form.getByRole("button", { name: L["change.save"] }).click();
    await form.locator('[data-field="reason"] .error').waitFor();
    if (await page.getByRole("dialog").count()) fail("the confirmation opened without a reason");
    await form.locator('[data-field="reason"] textarea').fill(params.reason);
    await form.getByRole("button", { name: L["change.save"] }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(L["change.materialWarning"]).waitFor();
    await dialog.getByText(params.reason).waitFor();
    await check("the change's confirmation, with the material warning");
    await settle(() => dialog.getByRole("button", { name: L["change.save"] }).click());
    const listed = page.locator("[data-call-changes]");
    await listed.getByText(params.reason, { exact: false }).waitFor();
    await listed.getByText(tr("change.listTitle", { version: 2 })).waitFor();
    await check("the change listed on the orderer's page");
    return {};
  },

  /** A provider with a bid: the change on the call's page, and its bid not current. */
  async provider() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    await page.locator("[data-call-changes]").getByText(params.reason, { exact: false }).waitFor();
    await page.locator("[data-bid-not-current]").waitFor();
    await check("the call's page: the change and a bid no longer current");
    return {};
  },
};

await done(journeys, ["401", "Failed to load resource"]);
