// Drives the pulse dashboard in headless Chromium (run by run.sh): the map
// draws markers, a filter changes the table, a click opens the evidence
// with highlighted spans. Exits non-zero on the first failed check.
import { chromium } from "playwright-core";

const [base, shot, executablePath] = process.argv.slice(2);
const checks = [];
function check(ok, what) {
  checks.push(what);
  if (!ok) throw new Error("FAILED: " + what);
  console.log("ok   " + what);
}

const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => m.type() === "error" && problems.push("console: " + m.text()));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} for ${r.url()}`));
  const outside = [];
  page.on("request", (r) => !r.url().startsWith(base) && outside.push(r.url()));

  await page.goto(base + "/", { waitUntil: "load" });
  await page.waitForSelector("#markers circle.marker", { timeout: 15000 });
  await page.waitForSelector("#events tbody tr");
  const countries = await page.locator("#countries path.country").count();
  check(countries > 100, `country outlines drawn (${countries} paths)`);
  const markers = await page.locator("#markers circle.marker").count();
  check(markers > 0, `map draws event markers (${markers})`);
  const bars = await page.locator("#timeline g.bar rect").count();
  check(bars > 0, `timeline draws bars (${bars} segments)`);
  const before = await page.locator("#events tbody tr").count();
  check(before > 0, `table lists events (${before} rows)`);

  // a filter: quad class 4 (the select re-queries on change)
  await page.selectOption("select[name=quad]", "4");
  await page.waitForFunction((n) => document.querySelectorAll("#events tbody tr").length !== n, before, { timeout: 10000 });
  const after = await page.locator("#events tbody tr").count();
  check(after > 0 && after < before, `quad class 4 filter changes the table (${before} -> ${after} rows)`);
  const codes = await page.locator("#events tbody tr .code").evaluateAll((ns) => ns.map((n) => n.className));
  check(codes.every((c) => c.includes("q4")), "every filtered row is quad class 4");
  const filteredMarkers = await page.locator("#markers circle.marker").count();
  check(filteredMarkers <= markers, `map redrawn with the filter (${filteredMarkers} markers)`);

  // a marker's evidence
  await page.locator("#markers circle.marker").first().click({ force: true });
  await page.waitForSelector("#evidence .mention mark", { timeout: 10000 });
  const labels = await page.locator("#evidence .mention mark").evaluateAll((ns) => ns.map((n) => n.className));
  check(labels.some((c) => c.includes("hl-verb")), "a marker opens its evidence with the verb highlighted");

  // a table row's evidence
  await page.selectOption("select[name=quad]", "");
  await page.waitForFunction((n) => document.querySelectorAll("#events tbody tr").length === n, before);
  await page.locator("#events tbody tr").first().click();
  await page.waitForFunction(() => document.querySelector("#evidence .mention mark.hl-verb") && !document.querySelector("#evidence-panel").hidden);
  const spans = await page.locator("#evidence .mention mark").evaluateAll((ns) => ns.map((n) => [n.className, n.textContent]));
  check(spans.length >= 2, `a row opens its evidence with highlighted spans: ${JSON.stringify(spans.slice(0, 4))}`);
  const sentence = await page.locator("#evidence .sentence").first().textContent();
  const verb = spans.find(([c]) => c.includes("hl-verb"));
  check(verb && sentence.includes(verb[1]), `the verb span "${verb && verb[1]}" lies in its sentence`);

  // show a located, conflict event in the screenshot
  await page.selectOption("select[name=quad]", "4");
  await page.waitForFunction(() => [...document.querySelectorAll("#events tbody tr .code")].every((n) => n.classList.contains("q4")));
  await page.selectOption("select[name=quad]", "");
  await page.waitForFunction((n) => document.querySelectorAll("#events tbody tr").length === n, before);
  const located = page.locator("#markers circle.q4");
  if ((await located.count()) > 0) await located.first().click({ force: true });
  await page.waitForSelector("#evidence .mention mark.hl-verb");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot, fullPage: true });
  check(await page.locator("#events").isVisible(), "the table is visible");
  console.log("screenshot: " + shot);

  check(outside.length === 0, `no request leaves the server (${outside.join(", ") || "none"})`);
  check(problems.length === 0, `no script errors (${problems.join("; ") || "none"})`);
  console.log(`${checks.length} passed, 0 failed`);
} finally {
  await browser.close();
}
