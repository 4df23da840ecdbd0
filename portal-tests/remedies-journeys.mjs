// The award decision's remedies in a real browser: a bidder reads the deadlines and the
// instructions on the awarded call and sends a correction request (confirmed first); the
// orderer rejects it with reasons and records an appeal (`orderer`), or accepts it, awards
// again and records an appeal (`accept`), then has the appeal dismissed, makes the contract,
// and has it signed by both parties and activated (`contract`). Each run at a width and in a
// language, every state checked with axe-core and, at 390 px, that the page does not scroll
// sideways.
//
//   node remedies-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, L, tr, page, check, fail, heading, settle, login, done } = await statesJourney("remedies");

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

  /** The orderer accepts the request: the award is withdrawn and the call is in evaluation
   *  again; a new award is made, an appeal against it is recorded, and no contract is offered
   *  while it is pending. */
  async accept() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const remedies = page.getByRole("region", { name: L["remedy.title"] });
    await remedies.getByText(params.text).waitFor();
    await remedies.getByLabel(L["remedy.decisionText"]).fill(params.decision);
    await remedies.getByRole("button", { name: L["remedy.accept"] }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(L["remedy.acceptWithdraws"]).waitFor();
    await check("accepting a correction request: the confirmation");
    await settle(() => dialog.getByRole("button", { name: L["remedy.accept"] }).click());
    await remedies.getByText(L["correction.ACCEPTED"]).first().waitFor();
    const winner = page.getByLabel(L["orderer.winner"]);
    await winner.waitFor();
    await check("the award withdrawn: the call in evaluation again");
    await winner.selectOption({ label: params.winnerLabel });
    await page.getByLabel(L["orderer.justification"]).fill(params.justification);
    await page.getByRole("button", { name: L["orderer.award"] }).click();
    await settle(() => page.getByRole("dialog").getByRole("button", { name: L["orderer.award"] }).click());
    await page.getByText(tr("orderer.awardedTo", { bidder: params.winner })).waitFor();
    await remedies.getByLabel(L["remedy.appellant"]).selectOption({ label: params.appellant });
    await remedies.getByLabel(L["remedy.caseNumber"]).fill(params.caseNumber);
    await remedies.getByLabel(L["remedy.filedAt"]).fill(params.filedAt);
    await settle(() => remedies.getByRole("button", { name: L["remedy.recordAppeal"] }).click());
    await remedies.getByText(params.caseNumber).first().waitFor();
    await page.getByText(L["remedy.contractWaits"]).waitFor();
    if (await page.getByRole("button", { name: L["orderer.makeContract"] }).count()) fail("a contract is offered while an appeal is pending");
    await check("a new award with an appeal pending: no contract offered");
    return {};
  },

  /** After the standstill: the appeal dismissed, the contract made, signed by the orderer and
   *  the provider, and activated. */
  async contract() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    await page.getByText(L["remedy.contractWaits"]).waitFor();
    const remedies = page.getByRole("region", { name: L["remedy.title"] });
    await remedies.getByLabel(L["remedy.outcomeStatus"]).selectOption("DISMISSED");
    await remedies.getByRole("textbox", { name: L["remedy.outcome"] }).fill(params.outcome);
    await settle(() => remedies.getByRole("button", { name: L["remedy.resolve"] }).click());
    await remedies.getByText(params.outcome).waitFor();
    await check("the appeal dismissed: the contract can be made");
    await page.getByRole("button", { name: L["orderer.makeContract"] }).click();
    const contractHeading = L["contract.heading"].replace("{producer}", params.producer);
    await heading(contractHeading);
    const contractUrl = page.url();
    const sign = async () => {
      await page.getByRole("button", { name: L["contract.sign"] }).click();
      await settle(() => page.getByRole("dialog").getByRole("button", { name: L["contract.sign"] }).click());
      await page.getByRole("button", { name: L["contract.sign"] }).waitFor({ state: "detached" });
    };
    await sign();
    await login(params.providerEmail, params.password, { clearSession: true });
    await page.goto(contractUrl);
    await heading(contractHeading);
    await sign();
    await check("the contract signed by both, as the provider");
    await login(params.email, params.password, { clearSession: true });
    await page.goto(contractUrl);
    await heading(contractHeading);
    await page.getByRole("button", { name: L["contract.activate"] }).click();
    await settle(() => page.getByRole("dialog").getByRole("button", { name: L["contract.activate"] }).click());
    await page.getByText(L["contractStatus.ACTIVE"], { exact: false }).first().waitFor();
    await check("the contract active");
    return { contractId: contractUrl.split("/").pop() };
  },
};

await done(journeys, ["401", "Failed to load resource"]);
