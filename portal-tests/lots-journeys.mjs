// Lots (osa-alueet) in a real browser: the orderer creates a call divided into two lots, each
// with its title and lines, and publishes it (`create`); a provider bids for the first lot
// only, pricing its lines alone, and reads the lots in its verified receipt (`bid`); after the
// deadline the orderer judges and scores the bid, compares it lot by lot, awards the first lot
// and declares the second unsuccessful, opens the first lot's evaluation report, and the call's
// page shows both decisions (`decide`); the provider asks for a correction of the first lot's
// award on the call's page and sees its rank in the lot in "my bids" (`request`),
// and the orderer, offered the first lot's own withdrawal and appeal forms, rejects the request,
// which names its lot (`reject`); after the lot's standstill the orderer makes the lot's
// contract (`contract`). Each run at a
// width and in a language, every state checked with axe-core and, at 390 px, that the page does
// not scroll sideways.
//
//   node lots-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, L, tr, page, check, fail, heading, settle, login, done } = await statesJourney("lots");

/** The start of a lot's unit price label ("Osa-alue 1, "), which names no other field. */
const priceLabel = (n) => tr("lots.unitPrice", { lot: n }).split("{product}")[0];

const journeys = {
  /** The orderer: a call in two lots made in the new-call form and published. */
  async create() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/new`);
    await heading(L["nav.newCall"]);
    await page.getByLabel(L["newCall.title"]).fill(params.title);
    await page.getByLabel(L["newCall.description"]).fill(params.description);
    // Divided into lots: the first lot starts from the line given so far; the flat list goes.
    await page.getByLabel(L["lots.divide"]).check();
    if (await page.getByLabel(tr("newCall.lineQuantity", { n: 1 })).isVisible()) fail("the flat lines are shown for a call in lots");
    const [first, second] = params.lots;
    await page.getByLabel(tr("lots.lotName", { n: 1 })).fill(first.title);
    await page.getByLabel(tr("lots.lineQuantity", { lot: 1, n: 1 })).fill(first.quantity);
    await page.getByRole("button", { name: L["lots.add"] }).click();
    await page.getByLabel(tr("lots.lotName", { n: 2 })).fill(second.title);
    await page.getByLabel(tr("lots.lineProduct", { lot: 2, n: 1 })).selectOption({ index: 1 });
    await page.getByLabel(tr("lots.lineQuantity", { lot: 2, n: 1 })).fill(second.quantity);
    await page.getByLabel(L["newCall.contractStart"]).fill("2027-06-01");
    await page.getByLabel(L["newCall.contractEnd"]).fill("2028-05-31");
    await page.getByLabel(L["newCall.questionsDeadline"]).fill(params.questionsDeadline);
    await page.getByLabel(L["newCall.submissionDeadline"]).fill(params.submissionDeadline);
    await page.getByLabel(tr("newCall.criterionName", { n: 1 })).fill(params.criterion);
    await page.getByLabel(tr("newCall.criterionWeight", { n: 1 })).fill("40");
    await page.getByLabel(tr("newCall.criterionMaxPoints", { n: 1 })).fill("10");
    await page.getByRole("button", { name: L["newCall.addRequirement"] }).click();
    await page.getByLabel(tr("newCall.requirement", { n: 1 })).fill(params.requirement);
    await check("a new call in two lots");
    await page.getByRole("button", { name: L["newCall.create"] }).click();
    await heading(params.title);
    const callId = page.url().split("/").pop();
    await page.getByRole("button", { name: L["orderer.publish"] }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(tr("lots.heading", { n: 2, title: second.title })).waitFor();
    await settle(() => dialog.getByRole("button", { name: L["orderer.publish"] }).click());
    await page.getByText(L["status.PUBLISHED"]).first().waitFor();
    await check("the call in lots, published");
    await page.goto(`${base}/#/calls/${callId}`);
    await heading(params.title);
    const lots = page.getByRole("region", { name: L["lots.title"], exact: true });
    for (const [i, lot] of params.lots.entries()) {
      await lots.getByRole("heading", { level: 3, name: tr("lots.heading", { n: i + 1, title: lot.title }) }).waitFor();
      await lots.getByRole("table", { name: tr("lots.linesOf", { n: i + 1 }) }).waitFor();
    }
    await check("the call's public page with its lots");
    return { callId };
  },

  /** The provider: a bid for the first lot only, its lines alone priced; the receipt names the lot. */
  async bid() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const [first, second] = params.lots;
    // No lot chosen: no prices asked, and the bid is not sent.
    if (await page.getByLabel(priceLabel(1)).isVisible()) fail("a lot's prices are asked before the lot is chosen");
    await page.getByRole("button", { name: L["bid.submit"] }).click();
    await page.getByText(L["lots.chooseOne"]).waitFor();
    await page.getByLabel(tr("lots.bidFor", { n: 1, title: first.title })).check();
    await page.getByLabel(priceLabel(1)).fill(params.price);
    if (await page.getByLabel(priceLabel(2)).isVisible()) fail(`the prices of lot 2 (${second.title}) are asked though it was not chosen`);
    await page.locator("#bid-total").getByText(params.expectedTotal).waitFor();
    await page.getByLabel(L["bid.annualTurnover"]).fill(params.turnover);
    await page.getByLabel(L["bid.equityRatioPercent"]).fill(params.equity);
    await page.getByLabel(L["bid.creditRating"]).selectOption("AA");
    await page.getByLabel(tr("bid.evidence", { requirement: params.requirement })).fill(params.evidence);
    await check("the bid form with the first lot chosen");
    await page.getByRole("button", { name: L["bid.submit"] }).click();
    const receipt = page.locator("#receipt");
    await receipt.getByText(L["bid.receiptVerified"]).waitFor();
    await receipt.getByText(tr("lots.covers", { lots: tr("lots.heading", { n: 1, title: first.title }) })).waitFor();
    await check("the receipt of a bid for the first lot");
    return { receipt: await receipt.locator("code.receipt").textContent() };
  },

  /** The orderer after the deadline: the bid judged and scored, the lots compared, lot 1
   *  awarded and lot 2 declared unsuccessful, both shown on the call's page. */
  async decide() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const [first, second] = params.lots;
    const comparison = page.getByRole("table", { name: tr("lots.comparison", { n: 1, title: first.title }) });
    await comparison.getByText(params.bidder).waitFor();
    await page.getByText(L["lots.noBids"]).first().waitFor();
    await check("the lots compared, before judging");
    const panel = page.locator("section.panel[data-bid]").filter({ has: page.getByRole("heading", { level: 3, name: params.bidder, exact: true }) });
    await panel.locator("fieldset.judgement").first().getByRole("radio", { name: L["orderer.met"], exact: true }).check();
    await settle(() => panel.getByRole("button", { name: L["orderer.saveJudgement"] }).click());
    await page.getByLabel(L["orderer.evaluator"]).selectOption({ label: params.evaluatorName });
    await settle(() => page.getByRole("button", { name: L["orderer.assign"] }).click());
    for (const box of await panel.getByRole("spinbutton").all()) await box.fill(String(params.points));
    await settle(() => panel.getByRole("button", { name: L["orderer.saveScores"] }).click());
    await comparison.getByText(L["orderer.yes"], { exact: true }).waitFor();
    await check("the bid judged and scored");

    const lot1 = page.locator("[data-lot-decision='1']");
    await lot1.getByLabel(tr("lots.winner", { n: 1 })).selectOption({ label: params.winnerLabel });
    await lot1.getByLabel(tr("lots.justification", { n: 1 })).fill(params.justification);
    await lot1.getByRole("button", { name: tr("lots.award", { n: 1 }) }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByText(params.justification).waitFor();
    await check("the first lot's award to confirm");
    await settle(() => dialog.getByRole("button", { name: tr("lots.award", { n: 1 }) }).click());
    await page.getByText(tr("lots.awardedTo", { n: 1, bidder: params.bidder })).waitFor();

    const lot2 = page.locator("[data-lot-decision='2']");
    await lot2.getByLabel(tr("lots.unsuccessfulReason", { n: 2 })).fill(params.reason);
    await lot2.getByRole("button", { name: tr("lots.declareUnsuccessful", { n: 2 }) }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByText(tr("lots.heading", { n: 2, title: second.title })).waitFor();
    await settle(() => dialog.getByRole("button", { name: tr("lots.declareUnsuccessful", { n: 2 }) }).click());
    await page.getByText(tr("lots.unsuccessful", { reason: params.reason })).waitFor();
    await page.getByText(L["status.AWARDED"]).first().waitFor();
    await page.getByRole("button", { name: tr("lots.makeContract", { n: 1 }) }).waitFor();
    await check("both lots decided");

    // The first lot's evaluation report for the minutes, from the lot's comparison.
    await page.getByRole("link", { name: tr("lots.reportLink", { n: 1 }), exact: true }).click();
    await heading(tr("report.lotHeading", { title: params.callTitle, lot: tr("lots.heading", { n: 1, title: first.title }) }));
    const ranked = page.getByRole("table", { name: L["orderer.comparison"], exact: true });
    await ranked.getByText(params.bidder).waitFor();
    if ((await page.locator("section.report-bid").count()) !== 1) fail("the first lot's report does not show its one bid alone");
    // The bid's lines in the lot only: the one line of lot 1.
    const lotLines = page.getByRole("table", { name: tr("report.linesOf", { bidder: params.bidder }), exact: true });
    await lotLines.waitFor();
    if ((await lotLines.locator("tbody tr").count()) !== 1) fail("the first lot's report lists lines of other lots");
    await page.getByText(params.justification).waitFor();
    await check("the first lot's evaluation report");

    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const ranking = page.getByRole("table", { name: tr("lots.rankingOf", { n: 1 }) });
    await ranking.getByText(params.bidder).waitFor();
    await page.getByText(params.justification).waitFor();
    await page.getByText(tr("lots.unsuccessful", { reason: params.reason })).waitFor();
    await check("the call's page with each lot's decision");
    return {};
  },

  /** The provider after the award: the first lot's remedies (the second lot, unsuccessful,
   *  has none), and a correction request about the first lot, confirmed and listed as the lot's. */
  async request() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const [first] = params.lots;
    const remedies = page.getByRole("region", { name: L["remedy.title"] });
    const lot1 = remedies.locator("[data-lot-remedies='1']");
    await lot1.getByRole("link", { name: tr("remedy.lotDocument", { n: 1 }) }).waitFor();
    if (await remedies.locator("[data-lot-remedies='2']").count()) fail("the unsuccessful lot 2 has the remedies of an award");
    await check("the first lot's remedies, as its bidder");
    await lot1.getByLabel(tr("remedy.lotRequestText", { n: 1 })).fill(params.text);
    await lot1.getByRole("button", { name: tr("remedy.lotRequest", { n: 1 }) }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(tr("lots.heading", { n: 1, title: first.title })).waitFor();
    await dialog.getByText(params.text).waitFor();
    await check("the first lot's correction request to confirm");
    await settle(() => dialog.getByRole("button", { name: tr("remedy.lotRequest", { n: 1 }) }).click());
    const mine = remedies.locator("[data-request]").filter({ hasText: params.text });
    await mine.getByText(tr("remedy.aboutLot", { n: 1, title: first.title })).waitFor();
    await mine.getByText(L["correction.PENDING"], { exact: true }).waitFor();
    await check("the bidder's pending request about the first lot");

    // My bids: the lot the bid covers, with its rank in the lot's award.
    await page.goto(`${base}/#/my-bids`);
    await heading(L["nav.myBids"]);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: params.callTitle, exact: true }) });
    await row.getByText(tr("myBids.inLot", { n: 1, value: "1" }), { exact: true }).waitFor();
    if (await row.getByText(tr("lots.lot", { n: 2 }), { exact: true }).count()) fail("my bids names lot 2, which the bid does not cover");
    await check("my bids with the lot the bid covers");
    return {};
  },

  /** The orderer: the request names the first lot, whose own withdrawal and appeal forms are
   *  offered; no contract while it is pending; the request rejected with reasons. */
  async reject() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const [first] = params.lots;
    const remedies = page.getByRole("region", { name: L["remedy.title"] });
    const request = remedies.locator("[data-request]").filter({ hasText: params.text });
    await request.getByText(tr("remedy.aboutLot", { n: 1, title: first.title })).waitFor();
    const lot1 = remedies.locator("[data-lot-remedies='1']");
    await lot1.getByLabel(tr("remedy.lotWithdrawReason", { n: 1 })).waitFor();
    await lot1.getByLabel(tr("remedy.lotAppellant", { n: 1 })).waitFor();
    await page.getByText(L["remedy.contractWaits"]).waitFor();
    if (await page.getByRole("button", { name: tr("lots.makeContract", { n: 1 }) }).count()) fail("a contract is offered while a request about the lot is pending");
    await check("the orderer's remedies with a request about the first lot");
    await request.getByLabel(L["remedy.decisionText"]).fill(params.decision);
    await request.getByRole("button", { name: L["remedy.reject"], exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(tr("lots.heading", { n: 1, title: first.title })).waitFor();
    await dialog.getByText(params.decision).waitFor();
    await check("rejecting the request about the first lot: the confirmation");
    await settle(() => dialog.getByRole("button", { name: L["remedy.reject"], exact: true }).click());
    await request.getByText(L["correction.REJECTED"], { exact: true }).waitFor();
    await page.getByRole("button", { name: tr("lots.makeContract", { n: 1 }) }).waitFor();
    await check("the request about the first lot rejected");
    return {};
  },

  /** After the first lot's standstill: the lot's contract made. */
  async contract() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    await page.getByRole("button", { name: tr("lots.makeContract", { n: 1 }) }).click();
    await heading(tr("contract.heading", { producer: params.bidder }));
    const contractId = page.url().split("/").pop();
    await check("the first lot's contract");
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    await page.getByRole("link", { name: tr("lots.openContract", { n: 1 }) }).waitFor();
    await check("the lots' decisions with the first lot's contract");
    return { contractId };
  },
};

await done(journeys, ["401", "Failed to load resource"]);
