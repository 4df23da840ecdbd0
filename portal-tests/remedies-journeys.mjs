// The award decision's remedies in a real browser: a bidder reads the deadlines and the
// instructions on the awarded call and sends a correction request (confirmed first); the
// orderer rejects it with reasons and records an appeal. Each run at a width and in a
// language, every state checked with axe-core and, at 390 px, that the page does not scroll
// sideways.
//
//   node remedies-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, L, tr, page, check, heading, settle, login, done } = await statesJourney("remedies");

const journeys = {
  /** The bidder: the decision's remedies and a correction request. */
  async bidder() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const remedies = page.getByRole("region", { name: L["remedy.title"] });
    await remedies.getByText(L["remedy.correctionDeadline"]).waitFor();
    const documentLink = await remedies.getByRole("link", { name: L["remedy.document"] }).getAttribute("href");
    await check("awarded call with the remedies, as a bidder");
    await remedies.getByLabel(L["remedy.requestText"]).fill(params.text);
    await remedies.getByRole("button", { name: L["remedy.request"] }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(params.text).waitFor();
    await check("the correction request's confirmation");
    await settle(() => dialog.getByRole("button", { name: L["remedy.request"] }).click());
    await page.getByRole("heading", { name: L["remedy.yourRequests"] }).waitFor();
    await remedies.getByText(L["correction.PENDING"]).first().waitFor();
    await check("the bidder's own pending request");
    return { documentLink };
  },

  /** The orderer: the request rejected with reasons, and an appeal recorded. */
  async orderer() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const remedies = page.getByRole("region", { name: L["remedy.title"] });
    await remedies.getByText(params.text).waitFor();
    await check("the orderer's remedies with a pending request");
    await remedies.getByLabel(L["remedy.decisionText"]).fill(params.decision);
    await remedies.getByRole("button", { name: L["remedy.reject"], exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(params.decision).waitFor();
    await settle(() => dialog.getByRole("button", { name: L["remedy.reject"], exact: true }).click());
    await remedies.getByText(L["correction.REJECTED"]).first().waitFor();
    await remedies.getByLabel(L["remedy.appellant"]).selectOption({ label: params.appellant });
    await remedies.getByLabel(L["remedy.caseNumber"]).fill(params.caseNumber);
    await remedies.getByLabel(L["remedy.filedAt"]).fill(params.filedAt);
    await settle(() => remedies.getByRole("button", { name: L["remedy.recordAppeal"] }).click());
    await remedies.getByText(params.caseNumber).first().waitFor();
    await check("the request rejected and an appeal recorded");
    return {};
  },
};

await done(journeys, ["401", "Failed to load resource"]);
