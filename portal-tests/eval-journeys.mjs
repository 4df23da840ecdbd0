// Browser journeys of issue 15 (the portal as the place where the work gets done): the
// evaluation page keeps its state, confirmation dialogs before steps with legal weight,
// corrected answers, the question list and counts, ending a call, the new-call draft.
// Run by tests/e2e/portal.rs like journeys.mjs, with the viewport width and the language as
// parameters (1280 and 390 px, Finnish and English); every state is checked with axe-core
// (WCAG 2.1 A and AA rules) and, at 390 px, that the page does not scroll sideways.
//
//   node eval-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { journeyArgs, TEXTS, translator, launch, openPage, checkState, moves, finish } from "./lib.mjs";

const { journey, base, outDir, params } = journeyArgs();
const lang = params.lang === "en" ? "en" : "fi";
const L = TEXTS[lang];
const width = Number(params.width || 1280);
const tag = `${journey}-${width}-${lang}`;
const fill = translator(L);

const browser = await launch();
const problems = [];
const { page } = await openPage(browser, { width, lang, storeLang: false, problems });
const axe = [];
const { heading, settle, login } = moves(page, { L, base });

/** Runs axe-core on the page as it is now; every violation fails the journey. */
async function checkA11y(name) {
  await checkState(page, {
    name, width, fail,
    record: (scrollWidth, violations) => axe.push({ page: `${name} (${width} px, ${lang})`, violations, width, scrollWidth }),
  });
}

function fail(message) {
  throw new Error(message);
}

/** The open confirmation dialog: checks that focus is inside it and that it names `expected`. */
async function dialogWith(expected, name) {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  for (const text of expected) await dialog.getByText(text, { exact: false }).first().waitFor();
  const inside = await page.evaluate(() => Boolean(document.activeElement?.closest("dialog")));
  if (!inside) fail(`focus is not in the dialog ${name}`);
  await checkA11y(`confirmation: ${name}`);
  await page.screenshot({ path: `${outDir}/${tag}-${name}.png` });
  return dialog;
}

/** The bidders' panels in the order they are shown. */
const panelOrder = () => page.locator("section.panel[data-bid] h3").allTextContents();
const panel = (bidder) => page.locator("section.panel[data-bid]").filter({ has: page.getByRole("heading", { level: 3, name: bidder, exact: true }) });
/** A bidder's requirements, one fieldset each (not every group: the panel's unit prices are a <details>). */
const requirementGroups = (bidder) => panel(bidder).locator("fieldset.judgement");
/** The checked state of each requirement of a bidder: met / notMet / unjudged. */
const states = (bidder) => panel(bidder).locator("input[type=radio]:checked").evaluateAll((xs) => xs.map((x) => x.value));

const journeys = {
  /** The orderer's evaluation page: unanswered count, "not judged" as its own state,
   *  judgements and scores read back after each save, a stable order, only changed
   *  requirements sent, the award only with a qualified bid and after a confirmation. */
  async evaluation() {
    await login(params.email, params.password);
    // On narrow screens the navigation is behind the compact header's menu button.
    const toggle = page.locator("header.top").getByRole("button", { name: L["nav.menu"] });
    if (await toggle.isVisible() && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await page.getByRole("link", { name: L["nav.ordererCalls"] }).click();
    await heading(L["nav.ordererCalls"]);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: params.callTitle }) });
    await row.getByText(fill("orderer.unansweredCount", { count: 1 })).waitFor();
    await checkA11y("orderer's calls with an unanswered question");
    await row.getByRole("link", { name: params.callTitle }).click();
    await heading(params.callTitle);
    const table = page.getByRole("table", { name: L["orderer.comparison"] });
    await table.waitFor();
    // Before any judging: "not judged yet", not "no"; no award form.
    const notJudged = await table.getByText(L["orderer.notJudgedYet"]).count();
    if (notJudged !== params.bidders.length) fail(`expected every bid not judged yet, saw ${notJudged}`);
    await page.getByText(L["orderer.noQualified"]).waitFor();
    if (await page.getByLabel(L["orderer.winner"]).count()) fail("the award form is shown without a qualified bid");
    await checkA11y("evaluation before judging");
    const order = await panelOrder();
    const sorted = [...order].sort((a, b) => a.localeCompare(b));
    if (JSON.stringify(order) !== JSON.stringify(sorted)) fail(`panels not by name: ${order}`);

    // The question is answered, then the answer corrected.
    await page.getByLabel(fill("orderer.answerTo", { question: params.question })).fill(params.answer);
    await settle(() => page.getByRole("button", { name: L["orderer.answer"] }).click());
    await page.getByText(L["orderer.editAnswer"]).click();
    await page.getByLabel(fill("orderer.editAnswerTo", { question: params.question })).fill(params.correctedAnswer);
    await settle(() => page.getByRole("button", { name: L["orderer.saveEditedAnswer"] }).click());
    await page.getByText(params.correctedAnswer).first().waitFor();
    await page.getByText(L["call.answerEdited"].split("{")[0].trim()).first().waitFor();

    // Judge the first bidder's first requirement only: the second stays "not judged".
    const [first, ...others] = params.bidders;
    const firstReqs = requirementGroups(first);
    await firstReqs.nth(0).getByRole("radio", { name: L["orderer.met"], exact: true }).check();
    await settle(() => panel(first).getByRole("button", { name: L["orderer.saveJudgement"] }).click());
    // Back at the panel that was saved, not at the top of the page.
    const back = await page.evaluate(() => document.activeElement?.closest("section[data-bid]")?.querySelector("h3")?.textContent);
    if (back !== first) fail(`focus went to ${back}, not back to ${first}`);
    await panel(first).getByText(L["orderer.saved"]).waitFor();
    let seen = await states(first);
    if (JSON.stringify(seen) !== JSON.stringify(["met", "unjudged"])) fail(`after the first save: ${seen}`);
    // Then the second: the first is not sent again and stays met.
    await requirementGroups(first).nth(1).getByRole("radio", { name: L["orderer.met"], exact: true }).check();
    await settle(() => panel(first).getByRole("button", { name: L["orderer.saveJudgement"] }).click());
    seen = await states(first);
    if (JSON.stringify(seen) !== JSON.stringify(["met", "met"])) fail(`after the second save: ${seen}`);
    await checkA11y("evaluation with one bidder judged");
    // The others: all met, the last one's second requirement not met.
    for (const [i, bidder] of others.entries()) {
      const groups = requirementGroups(bidder);
      const n = await groups.count();
      for (let g = 0; g < n; g += 1) {
        const notMet = i === others.length - 1 && g === n - 1;
        await groups.nth(g).getByRole("radio", { name: notMet ? L["orderer.notMet"] : L["orderer.met"], exact: true }).check();
      }
      await settle(() => panel(bidder).getByRole("button", { name: L["orderer.saveJudgement"] }).click());
    }
    const last = others[others.length - 1];
    seen = await states(last);
    if (JSON.stringify(seen) !== JSON.stringify(["met", "notMet"])) fail(`the last bidder: ${seen}`);

    // Scores: the orderer assigns itself and scores; the fields keep the points.
    await page.getByLabel(L["orderer.evaluator"]).selectOption({ label: params.evaluatorName });
    await settle(() => page.getByRole("button", { name: L["orderer.assign"] }).click());
    for (const [i, bidder] of params.bidders.entries()) {
      for (const box of await panel(bidder).getByRole("spinbutton").all()) await box.fill(String(params.points[i]));
      await settle(() => panel(bidder).getByRole("button", { name: L["orderer.saveScores"] }).click());
      const kept = await panel(bidder).getByRole("spinbutton").evaluateAll((xs) => xs.map((x) => x.value));
      if (kept.some((v) => v !== String(params.points[i]))) fail(`the scores of ${bidder} were not kept: ${kept}`);
    }
    const after = await panelOrder();
    if (JSON.stringify(after) !== JSON.stringify(order)) fail(`the panels moved: ${order} -> ${after}`);
    await checkA11y("evaluation scored");

    // The award: nothing preselected; a confirmation with winner, total, rank and justification.
    const winner = page.getByLabel(L["orderer.winner"]);
    if (await winner.inputValue() !== "") fail("a winner was preselected");
    await page.getByLabel(L["orderer.justification"]).fill(params.justification);
    await page.getByRole("button", { name: L["orderer.award"] }).click();
    await page.getByText(L["orderer.chooseWinnerFirst"]).waitFor();
    if (await page.getByRole("dialog").count()) fail("the dialog opened without a winner");
    await winner.selectOption({ label: `1. ${params.winner}` });
    await page.getByRole("button", { name: L["orderer.award"] }).click();
    let dialog = await dialogWith([params.winner, params.justification, params.winnerTotal], "award");
    // Going back changes nothing.
    await dialog.getByRole("button", { name: L["confirm.cancel"] }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    if (focused !== L["orderer.award"]) fail(`focus did not return to the button: ${focused}`);
    await page.getByRole("button", { name: L["orderer.award"] }).click();
    dialog = await dialogWith([params.winner], "award-again");
    await settle(() => dialog.getByRole("button", { name: L["orderer.award"] }).click());
    await page.getByText(fill("orderer.awardedTo", { bidder: params.winner })).waitFor();
    await checkA11y("awarded");

    // The public page shows the corrected answer as edited.
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    await page.getByText(params.correctedAnswer).waitFor();
    await page.getByText(L["call.answerEdited"].split("{")[0].trim()).waitFor();
    await checkA11y("public call with an edited answer");
    await page.screenshot({ path: `${outDir}/${tag}.png`, fullPage: true });
    return { order };
  },

  /** Activation: the value per year beside the appropriation still free, repeated in the
   *  confirmation. */
  async activation() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/contracts/${params.contractId}`);
    await heading(fill("contract.heading", { producer: params.producer }));
    const years = page.getByRole("table", { name: L["contract.byYear"] });
    for (const text of params.expected) await years.getByText(text).first().waitFor();
    await checkA11y("draft contract with the appropriation");
    await page.getByRole("button", { name: L["contract.activate"] }).click();
    const dialog = await dialogWith(params.expected, "activation");
    await settle(() => dialog.getByRole("button", { name: L["contract.activate"] }).click());
    await page.getByText(L["contractStatus.ACTIVE"]).first().waitFor();
    await checkA11y("active contract");
    return {};
  },

  /** Ending calls: one cancelled, one declared unsuccessful, each with a reason and a
   *  confirmation. */
  async ending() {
    await login(params.email, params.password);
    for (const [id, button, dialogTitle, reason, status, label] of [
      [params.cancelId, "orderer.cancelCall", "orderer.confirmCancel", params.cancelReason, "status.CANCELLED", "orderer.cancelReason"],
      [params.unsuccessfulId, "orderer.declareUnsuccessful", "orderer.confirmUnsuccessful", params.unsuccessfulReason, "status.UNSUCCESSFUL", "orderer.unsuccessfulReason"],
    ]) {
      await page.goto(`${base}/#/orderer/calls/${id}`);
      await page.getByRole("heading", { level: 2, name: L["orderer.endCall"] }).waitFor();
      const form = page.locator("form").filter({ has: page.getByRole("heading", { level: 3, name: L[button] }) });
      // Without a reason the API says what is missing, beside the field.
      await form.getByRole("button", { name: L[button] }).click();
      await dialogWith([L[dialogTitle]], `${button}-empty`);
      await page.getByRole("dialog").getByRole("button", { name: L[button] }).click();
      await form.locator("[aria-invalid=true]").waitFor();
      await form.getByLabel(L[label]).fill(reason);
      await checkA11y(`${button} with its reason`);
      await form.getByRole("button", { name: L[button] }).click();
      const dialog = await dialogWith([reason], button);
      await settle(() => dialog.getByRole("button", { name: L[button] }).click());
      await page.getByText(L[status]).first().waitFor();
    }
    return {};
  },

  /** A provider asks: the list shows the question at once; then withdraws its bid after a
   *  confirmation naming the call and the bid. */
  async provider() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    await page.getByText(L["call.noQuestions"]).waitFor();
    await page.getByLabel(L["question.text"]).fill(params.question);
    await page.getByRole("button", { name: L["question.send"] }).click();
    await page.getByText(L["question.sent"]).waitFor();
    await page.getByText(params.question).first().waitFor();
    if (await page.getByText(L["call.noQuestions"]).count()) fail("the list still says there are no questions");
    await checkA11y("call after asking");
    await page.getByRole("button", { name: L["bid.withdraw"] }).click();
    const dialog = await dialogWith([params.callTitle, params.total], "withdraw");
    await settle(() => dialog.getByRole("button", { name: L["bid.withdraw"] }).click());
    await page.getByText(L["bid.withdrawn"]).waitFor();
    await checkA11y("bid withdrawn");
    return {};
  },

  /** The new-call form: criteria and lines can be removed, and the draft survives leaving
   *  the page until the call is created. */
  async draft() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/new`);
    await heading(L["nav.newCall"]);
    await page.getByLabel(L["newCall.title"]).fill(params.title);
    await page.getByLabel(L["newCall.description"]).fill("Draft kept in this tab");
    await page.getByRole("button", { name: L["newCall.addCriterion"] }).click();
    await page.getByLabel(fill("newCall.criterionName", { n: 1 })).fill("Laatu");
    await page.getByLabel(fill("newCall.criterionName", { n: 2 })).fill("Poistettava");
    await page.getByRole("button", { name: L["newCall.addLine"] }).click();
    await page.getByLabel(fill("newCall.lineQuantity", { n: 2 })).fill("7");
    await page.getByRole("button", { name: L["newCall.addRequirement"] }).click();
    await page.getByLabel(fill("newCall.requirement", { n: 1 })).fill("Poistettava vaatimus");
    await page.getByRole("button", { name: L["newCall.addRequirement"] }).click();
    await page.getByLabel(fill("newCall.requirement", { n: 2 })).fill("Jäävä vaatimus");
    await checkA11y("new call with two criteria and two lines");
    await page.getByRole("button", { name: fill("newCall.removeCriterion", { n: 2 }) }).click();
    await page.getByRole("button", { name: fill("newCall.removeLine", { n: 2 }) }).click();
    await page.getByRole("button", { name: fill("newCall.removeRequirement", { n: 1 }) }).click();
    if (await page.getByLabel(fill("newCall.criterionName", { n: 2 })).count()) fail("the criterion was not removed");
    if (await page.getByLabel(fill("newCall.lineQuantity", { n: 2 })).count()) fail("the line was not removed");
    // Away and back: the form is as it was left.
    await page.goto(`${base}/#/calls`);
    await heading(L["calls.title"]);
    await page.goto(`${base}/#/orderer/new`);
    await heading(L["nav.newCall"]);
    const title = await page.getByLabel(L["newCall.title"]).inputValue();
    const crit = await page.getByLabel(fill("newCall.criterionName", { n: 1 })).inputValue();
    if (title !== params.title || crit !== "Laatu") fail(`the draft was lost: ${title} / ${crit}`);
    if (await page.getByLabel(fill("newCall.criterionName", { n: 2 })).count()) fail("the removed criterion came back");
    const requirement = await page.getByLabel(fill("newCall.requirement", { n: 1 })).inputValue();
    if (requirement !== "Jäävä vaatimus") fail(`the wrong requirement was removed: ${requirement}`);
    if (await page.getByLabel(fill("newCall.requirement", { n: 2 })).count()) fail("the removed requirement came back");
    await checkA11y("new call restored from the draft");
    await page.screenshot({ path: `${outDir}/${tag}.png`, fullPage: true });
    // Created, the draft is forgotten.
    const local = (days) => {
      const d = new Date(Date.now() + days * 86_400_000);
      const p = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T12:00`;
    };
    await page.getByLabel(fill("newCall.lineQuantity", { n: 1 })).fill("100");
    await page.getByLabel(L["newCall.contractStart"]).fill("2027-06-01");
    await page.getByLabel(L["newCall.contractEnd"]).fill("2028-05-31");
    await page.getByLabel(L["newCall.questionsDeadline"]).fill(local(10));
    await page.getByLabel(L["newCall.submissionDeadline"]).fill(local(20));
    await page.getByLabel(fill("newCall.criterionWeight", { n: 1 })).fill("40");
    await page.getByLabel(fill("newCall.criterionMaxPoints", { n: 1 })).fill("10");
    await page.getByRole("button", { name: L["newCall.create"] }).click();
    await heading(params.title);
    const left = await page.evaluate(() => sessionStorage.getItem("kilpailutus.newCallDraft"));
    if (left !== null) fail(`the draft was kept after creating the call: ${left}`);
    await page.goto(`${base}/#/orderer/new`);
    await heading(L["nav.newCall"]);
    if (await page.getByLabel(L["newCall.title"]).inputValue() !== "") fail("the created call's draft came back");
    return { title };
  },
};

await finish({
  browser, journeys, journey, problems, tolerated: ["401", "Failed to load resource"], states: axe, statesKey: "axe", label: journey,
  failureShot: () => page.screenshot({ path: `${outDir}/${tag}-failure.png`, fullPage: true }),
});
