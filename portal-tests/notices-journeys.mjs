// eForms notices and the organisation's details in a real browser: the orderer saves the
// draft contract notice of a call not yet published (its Swedish translation in it), then sets
// the board's address for notices in the settings, first with a NUTS code that is refused
// beside its field. Every state is checked with axe-core and, at 390 px, that the page does not
// scroll sideways.
//
//   node notices-journeys.mjs <journey> <base url> <screenshot dir> '<params as JSON>'
//
// Prints one line `RESULT <json>` and exits 0, or prints the failure and exits 1.
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { statesJourney } from "./lib.mjs";

const { base, params, L, page, check, fail, heading, login, done } = await statesJourney("notices");

const journeys = {
  async orderer() {
    await login(params.email, params.password);
    await page.goto(`${base}/#/calls/${params.callId}`);
    await heading(params.callTitle);
    const notices = page.locator("[data-notices]");
    await notices.getByRole("heading", { name: L["eforms.title"] }).waitFor();
    await check("a draft call's page with its notices");
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      notices.getByRole("button", { name: L["eforms.contractDraft"] }).click(),
    ]);
    if (file.suggestedFilename() !== `${params.callId}-contract-notice.xml`) fail(`saved as ${file.suggestedFilename()}`);
    const path = join(mkdtempSync(join(tmpdir(), "kilpailutus-notice-")), "notice.xml");
    await file.saveAs(path);
    const xml = readFileSync(path, "utf8");
    if (!xml.includes("<ContractNotice")) fail("the saved file is not a contract notice");
    await notices.getByText(L["eforms.saved"]).waitFor();

    await page.goto(`${base}/#/settings`);
    await heading(L["nav.settings"]);
    const details = page.locator("[data-org-details]");
    await details.getByLabel(L["org.streetAddress"]).fill(params.street);
    await details.getByLabel(L["org.postalCode"]).fill("45100");
    await details.getByLabel(L["org.city"]).fill("Kouvola");
    const nuts = details.getByLabel(L["org.nutsCode"]);
    await nuts.fill("SE110");
    await details.getByLabel(L["org.phone"]).fill("+358 20 615 11");
    await details.getByRole("button", { name: L["org.save"] }).click();
    await details.locator("[aria-invalid=true]").first().waitFor();
    if ((await nuts.getAttribute("aria-invalid")) !== "true") fail("the NUTS code's error is not beside it");
    await check("the organisation's details, a NUTS code refused");
    await nuts.fill("FI1C7");
    await details.getByRole("button", { name: L["org.save"] }).click();
    await page.getByText(L["org.saved"]).waitFor();
    await check("the organisation's details, saved");
    return { swedish: xml.includes(params.titleSv), bytes: xml.length };
  },
};

await done(journeys, ["401", "Failed to load resource"]);
