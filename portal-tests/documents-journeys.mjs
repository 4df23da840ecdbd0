// Documents in a real browser: the orderer adds a document to a published call through the
// change form (uploaded as it is chosen, listed with its hash); anyone downloads it from the
// call's page; a provider attaches a file to its bid and sees its hash beside the verified
// receipt; after the deadline the orderer reads the bid's attachment; a party attaches a
// document to a contract. Each run at a width and in a language, every state checked with
// axe-core and, at 390 px, that the page does not scroll sideways.
//
//   node documents-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { statesJourney } from "./lib.mjs";

const { base, params, lang, L, tr, page, check, fail, heading, settle, login, done } = await statesJourney("documents");

const PDF = (title) => Buffer.from(`%PDF-1.7\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

/** Clicks a document's download button and returns the saved file's bytes. */
async function downloaded(name) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: tr("documents.download", { name }) }).click(),
  ]);
  if (file.suggestedFilename() !== name) fail(`saved as ${file.suggestedFilename()}, not ${name}`);
  // The browser runs apart from this script: the file is saved here first.
  const path = join(mkdtempSync(join(tmpdir(), "kilpailutus-download-")), "file");
  await file.saveAs(path);
  return readFileSync(path);
}

/** Chooses files in a document picker and waits until each is uploaded and listed. */
async function choose(picker, files) {
  await picker.locator('input[type="file"]').setInputFiles(files.map(([name, mimeType, buffer]) => ({ name, mimeType, buffer })));
  for (const [name] of files) await picker.getByRole("button", { name: tr("documents.removeNamed", { name }) }).waitFor();
}

const journeys = {
  /** The orderer adds the service description to the published call: a change of its own. */
  async orderer() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const summary = page.locator("summary", { hasText: L["change.title"] });
    const form = page.locator("details", { has: summary });
    await summary.click();
    const picker = form.locator('[data-field="documentIds"]');
    // A file that is none of the allowed types is refused, beside the field.
    await picker.locator('input[type="file"]').setInputFiles({ name: "ohjelma.exe", mimeType: "application/octet-stream", buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) });
    await picker.locator(".error").getByText(L["documents.notAllowed"], { exact: false }).waitFor();
    await choose(picker, [[params.fileName, "application/pdf", PDF(params.fileName)]]);
    await form.locator('[data-field="reason"] textarea').fill(params.reason);
    await check("the change form with a document chosen");
    await form.getByRole("button", { name: L["change.save"] }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(L["documents.title"]).waitFor();
    await settle(() => dialog.getByRole("button", { name: L["change.save"] }).click());
    await page.locator("[data-documents]").getByRole("button", { name: tr("documents.download", { name: params.fileName }) }).waitFor();
    await page.locator("[data-call-changes]").getByText(params.reason, { exact: false }).waitFor();
    await check("the call's documents on the orderer's page");
    return {};
  },

  /** Anyone, without signing in: the call's documents, downloaded as they were uploaded. */
  async visitor() {
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const list = page.locator("[data-documents]");
    await list.getByText(params.sha256).waitFor();
    await check("the call's page with its documents");
    const bytes = await downloaded(params.fileName);
    if (!bytes.equals(PDF(params.fileName))) fail("the downloaded file differs from the uploaded one");
    return { size: bytes.length };
  },

  /** A provider attaches its offer letter: the hash beside the verified receipt. */
  async provider() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const prices = page.getByRole("group", { name: L["bid.prices"] }).getByRole("textbox");
    for (const [i, price] of params.prices.entries()) await prices.nth(i).fill(price);
    await page.getByLabel(L["bid.annualTurnover"]).fill("2000000");
    await page.getByLabel(L["bid.equityRatio"]).fill(lang === "fi" ? "35 %" : "35%");
    await page.getByLabel(L["bid.creditRating"]).selectOption("AA");
    for (const box of await page.getByRole("group", { name: L["bid.capability"] }).getByRole("textbox").all()) await box.fill("40 laillistettua sairaanhoitajaa");
    const picker = page.getByRole("group", { name: L["documents.bidTitle"] });
    await choose(picker, [[params.offerName, "text/plain", Buffer.from(params.offerText)]]);
    await check("the bid form with an attachment");
    await page.getByRole("button", { name: L["bid.submit"] }).click();
    await page.getByRole("heading", { name: tr("bid.receiptTitle", { version: 1 }) }).waitFor();
    await page.getByText(L["bid.receiptVerified"]).waitFor();
    const receipt = page.locator("#receipt");
    await receipt.locator("[data-documents] code.hash", { hasText: params.offerSha256 }).waitFor();
    const text = await receipt.locator("pre.receipt").textContent();
    if (!text.includes(`"documents":["${params.offerSha256}"]`)) fail(`the receipt's text does not cover the attachment: ${text}`);
    await check("the receipt with the attachment's hash");
    const bytes = await downloaded(params.offerName);
    if (bytes.toString("utf8") !== params.offerText) fail("the attachment downloaded differs");
    const receiptValue = await page.locator("[data-receipt]").getAttribute("data-receipt");
    return { receipt: receiptValue };
  },

  /** After the deadline: the orderer reads the bid's attachment in the evaluation. */
  async opened() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/orderer/calls/${params.callId}`);
    await heading(params.callTitle);
    const bid = page.locator("section[data-bid]").filter({ hasText: params.bidder });
    await bid.getByText(params.offerSha256).waitFor();
    await check("the evaluation with the bid's attachment");
    const bytes = await downloaded(params.offerName);
    if (bytes.toString("utf8") !== params.offerText) fail("the attachment downloaded differs");
    return {};
  },

  /** A party attaches a signed copy to a contract. */
  async contract() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/contracts/${params.contractId}`);
    await page.getByRole("heading", { name: L["documents.contractTitle"] }).waitFor();
    const form = page.locator("form", { has: page.getByRole("button", { name: L["documents.attach"], exact: true }) });
    await choose(form, [[params.fileName, "application/pdf", PDF(params.fileName)]]);
    await check("the contract's attach form with a file chosen");
    await settle(() => form.getByRole("button", { name: L["documents.attach"], exact: true }).click());
    await page.locator("[data-documents]").getByRole("button", { name: tr("documents.download", { name: params.fileName }) }).waitFor();
    await page.getByText(L["documents.attached"]).waitFor();
    await check("the contract's documents");
    return {};
  },
};

await done(journeys, ["401", "Failed to load resource"]);
