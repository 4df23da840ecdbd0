// One headless Chromium for every journey of a test process: started by the test support
// (`run_node_journey` in src/lib.rs), which passes its endpoint to the journeys in
// KILPAILUTUS_BROWSER (each journey then connects in a few milliseconds instead of launching
// Chromium, and works in contexts of its own). Prints `WS <endpoint>`; closes the browser and
// exits when its standard input ends (the test process is gone).
import { chromium } from "playwright-core";
import { BROWSER_ARGS, CHROMIUM } from "./lib.mjs";

const server = await chromium.launchServer({ executablePath: CHROMIUM, args: BROWSER_ARGS });
console.log(`WS ${server.wsEndpoint()}`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await server.close().catch(() => {});
  process.exit(0);
});
