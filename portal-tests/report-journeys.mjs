// The evaluation report for the minutes and the bids' unit prices (issue 15) in a real
// browser: the orderer's call page folds each bid's unit prices in a <details>; the report
// shows the call, every bid with its lines, capability judgements, each evaluator's points,
// scores and rank, and the award; it prints (window.print, stubbed) without the header,
// navigation and buttons. Before the opening the report shows no bids; other users get the
// sign-in or not-found page. Each run at a width and in a language, every state checked with
// axe-core and, at 390 px, that the page does not scroll sideways.
//
//   node report-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { statesJourney } from "./lib.mjs";

const { base, params, width, lang, L, tr, page, check, fail, heading, login: signIn, settle, rendered, done } = await statesJourney("report", { exactHeadings: true });

/** Signs in, out of any earlier session first. */
async function login(email, password) {
  await signIn(email, password, { clearSession: true });
}

/** Goes to a page of the portal (the caller then waits for its heading). */
async function visit(path) {
  await page.goto(`${base}/#${path}`);
}

/** A table's body as text, cell by cell; an amount rounded to cents as { shown, exact }. */
function tableData(locator) {
  return locator.evaluate((table) => [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((cell) => {
    const rounded = cell.querySelector(".money-rounded");
    if (rounded) return { shown: rounded.firstChild.textContent.trim(), exact: rounded.dataset.exact };
    const met = cell.querySelector("[data-met]");
    if (met) return { text: met.textContent.trim(), met: met.dataset.met };
    return cell.textContent.trim();
  })));
}

const reportPath = (id) => `/orderer/calls/${id}/report`;

const journeys = {
  /** The whole story of one width and language. */
  async report() {
    const out = {};
    // Signed out: the report asks to sign in as an orderer.
    await page.goto(`${base}/#${reportPath(params.openId)}`);
    await heading(L["report.title"]);
    await page.getByRole("link", { name: L["orderer.needLogin"] }).waitFor();
    await check("report, signed out");

    // Another orderer organisation's user: not found (the call itself is public).
    await login(params.otherEmail, params.password);
    await visit(reportPath(params.openId));
    await heading(L["page.notFound"]);
    out.otherOrdererBids = await page.locator("section.report-bid").count();
    await check("report, another orderer");

    await login(params.email, params.password);
    // Before the opening: the call's terms, no bids and no unit prices.
    await visit(reportPath(params.sealedId));
    await heading(tr("report.heading", { title: params.sealedTitle }));
    out.sealedText = (await page.locator("[data-no-bids]").innerText()).trim();
    out.sealedBids = await page.locator("section.report-bid").count();
    out.sealedTables = await page.locator("main table caption").allTextContents();
    await check("report before the opening");
    await visit(`/orderer/calls/${params.sealedId}`);
    await heading(params.sealedTitle);
    out.sealedManage = { reportLinks: await page.locator("[data-report-link]").count(), details: await page.locator("details.bid-lines").count() };

    // The call page after the opening: each bid's unit prices folded in a <details>.
    await visit(`/orderer/calls/${params.openId}`);
    await heading(params.openTitle);
    const details = page.locator("details.bid-lines");
    await details.first().waitFor();
    out.manageDetails = await details.locator("summary").allTextContents();
    const one = details.filter({ has: page.locator("summary", { hasText: params.manageBidder }) });
    if (await one.getAttribute("open") !== null) throw new Error("the unit prices are open before asked");
    await one.locator("summary").click();
    const manageTable = one.getByRole("table", { name: tr("orderer.unitPrices", { bidder: params.manageBidder }) });
    await manageTable.waitFor();
    out.manageLines = await tableData(manageTable);
    await check("call page with a bid's unit prices open");

    // The report, reached from the call page.
    await page.locator("[data-report-link]").click();
    await heading(tr("report.heading", { title: params.openTitle }));
    out.openPrintedAt = (await page.locator("[data-printed-at]").innerText()).trim();
    out.open = await reportData();
    await check("evaluation report");

    // Print: the button calls window.print; in print media no header, navigation or buttons.
    await page.evaluate(() => { window.print = () => { window.__printed = true; }; });
    await page.getByRole("button", { name: L["report.print"] }).click();
    out.printed = await page.evaluate(() => window.__printed === true);
    await page.emulateMedia({ media: "print" });
    out.print = await page.evaluate(() => {
      const shown = (e) => !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0;
      const rgb = (e, p) => getComputedStyle(e)[p];
      const exact = document.querySelector("main .money-rounded .visually-hidden");
      return {
        header: shown(document.querySelector("header.top")),
        nav: shown(document.getElementById("nav")),
        buttons: [...document.querySelectorAll("button")].filter(shown).length,
        backLink: shown(document.querySelector(".no-print")),
        main: shown(document.querySelector("main")),
        bids: [...document.querySelectorAll("section.report-bid")].filter(shown).length,
        bidBreak: getComputedStyle(document.querySelector("section.report-bid")).breakInside,
        color: rgb(document.querySelector("main h1"), "color"),
        background: rgb(document.body, "backgroundColor"),
        thBackground: rgb(document.querySelector("main th"), "backgroundColor"),
        exactShown: exact ? exact.getBoundingClientRect().width > 2 && getComputedStyle(exact).position === "static" : false,
        exactText: exact ? exact.textContent.trim() : null,
      };
    });
    await check("evaluation report in print media");
    await page.emulateMedia({ media: "screen" });

    // An awarded call's report: the decision with its justification and times.
    await visit(reportPath(params.awardedId));
    await heading(tr("report.heading", { title: params.awardedTitle }));
    out.awarded = await reportData();
    await check("evaluation report of an awarded call");
    await page.waitForTimeout(200);
    return out;
  },

  /** The opened sealed log from the orderer's call page and from the audit log's anchor,
   *  and the call's open data (OCDS) from its public page, signed out. */
  async opendata() {
    const out = {};
    await login(params.email, params.password);
    await visit(`/orderer/calls/${params.openId}`);
    await heading(params.openTitle);
    await page.getByRole("link", { name: L["orderer.sealedLogLink"] }).click();
    await heading(tr("audit.sealedLogOf", { title: params.openTitle }));
    const events = page.getByRole("table", { name: L["audit.sealedEvents"] });
    await events.waitFor();
    out.sealedRows = await tableData(events);
    await check("the opened sealed log of a call");
    // The anchor in the audit log leads to the same log.
    await visit(`/audit?entity=call&entityId=${params.openId}`);
    await heading(L["nav.audit"]);
    await page.getByRole("link", { name: L["audit.openSealedLog"] }).first().click();
    await heading(tr("audit.sealedLogOf", { title: params.openTitle }));
    out.fromAnchor = (await tableData(page.getByRole("table", { name: L["audit.sealedEvents"] }))).length;
    // A call still sealed: its log is empty for its orderer too.
    await visit(`/audit?sealedCall=${params.sealedId}`);
    await heading(tr("audit.sealedLogOf", { title: params.sealedTitle }));
    out.sealedEmpty = await page.getByRole("table", { name: L["audit.sealedEvents"] }).count();
    await check("the log of a call still sealed");

    // Signed out: the public call page links its OCDS files, and they are JSON.
    await page.evaluate(() => sessionStorage.clear());
    await visit(`/calls/${params.openId}`);
    await heading(params.openTitle);
    await page.getByRole("heading", { level: 2, name: L["call.openData"] }).waitFor();
    out.ocds = {};
    for (const key of ["call.ocdsReleases", "call.ocdsRecord"]) {
      const href = await page.getByRole("link", { name: L[key] }).getAttribute("href");
      const body = await page.evaluate(async (u) => { const r = await fetch(u); return { status: r.status, type: r.headers.get("content-type"), json: await r.json() }; }, href);
      out.ocds[key] = { href, status: body.status, type: body.type, keys: Object.keys(body.json).sort() };
    }
    await check("public call page with its open data");
    return out;
  },

};

/** What the report shows, read from the page. */
async function reportData() {
  const main = page.locator("main");
  const facts = (root) => root.evaluate((dl) => {
    const out = {};
    for (const dt of dl.querySelectorAll(":scope > dt")) out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
    return out;
  });
  const bids = [];
  for (const section of await main.locator("section.report-bid").all()) {
    const name = (await section.locator("h3").innerText()).trim();
    const bidder = (await section.locator("dl.figures dd").first().innerText()).trim();
    const table = async (key) => {
      const t = section.getByRole("table", { name: tr(key, { bidder }) });
      return (await t.count()) ? tableData(t) : null;
    };
    bids.push({
      heading: name,
      facts: await facts(section.locator("dl.figures")),
      lines: await table("report.linesOf"),
      capability: await table("report.capabilityOf"),
      points: await table("report.pointsOf"),
      pointsColumns: await section.getByRole("table", { name: tr("report.pointsOf", { bidder }) }).locator("thead th").allTextContents(),
    });
  }
  const decision = page.getByRole("heading", { level: 2, name: L["call.award"], exact: true });
  const afterDecision = decision.locator("xpath=following-sibling::*[1]");
  return {
    call: await facts(main.locator("dl.figures").first()),
    requirements: await main.locator("ol.requirements li").allTextContents(),
    criteria: await tableData(main.getByRole("table", { name: L["call.criteria"] })),
    evaluators: await main.locator("[data-evaluators] li").allTextContents(),
    ranking: await tableData(main.getByRole("table", { name: L["orderer.comparison"] })),
    bids,
    decision: (await afterDecision.evaluate((e) => e.tagName)) === "DL" ? await facts(afterDecision) : (await afterDecision.innerText()).trim(),
  };
}

await done(journeys, ["401", "Failed to load resource"]);
