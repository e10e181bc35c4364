// npm test: every suite (Vitest unit + integration, the @c8y/client conformance package, Playwright in Chromium),
// then one closing line with the totals: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, ".data", "test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const totals = { passed: 0, failed: 0 };
const problems = [];

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    cwd: root,
    ...opts,
    env: { ...process.env, ...opts.env },
  });
  return r.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

// 1. Vitest
{
  const file = join(out, "vitest.json");
  const status = run("npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${file}`,
  ]);
  const report = readJson(file);
  if (report) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    // A suite that failed to load counts as a failure even though none of its tests ran.
    const broken = report.testResults.filter(
      (f) => f.status === "failed" && f.assertionResults.length === 0,
    ).length;
    totals.failed += broken;
    if (report.numPendingTests + report.numTodoTests > 0)
      problems.push("vitest: skipped or todo tests present");
  } else if (status !== 0) {
    totals.failed += 1;
    problems.push("vitest did not produce a report");
  }
}

// 2. @c8y/client conformance, a separate package so that its pinned cometd is the one it really uses.
{
  const pkg = join(root, "tests", "c8y-client");
  if (existsSync(join(pkg, "package.json"))) {
    if (!existsSync(join(pkg, "node_modules"))) {
      run("npm", ["ci", "--no-audit", "--no-fund", "--prefix", pkg]);
    }
    const file = join(out, "c8y-client.json");
    const status = run("npx", [
      "vitest",
      "run",
      "--root",
      pkg,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${file}`,
    ]);
    const report = readJson(file);
    if (report) {
      totals.passed += report.numPassedTests;
      totals.failed += report.numFailedTests;
    } else if (status !== 0) {
      totals.failed += 1;
      problems.push("@c8y/client suite did not produce a report");
    }
  }
}

// 3. Playwright in Debian's Chromium
{
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    console.error(
      `\nChromium is missing at ${chromium}. Install Debian's package: sudo apt-get update && sudo apt-get install -y chromium` +
        "\n(never `npx playwright install`: browsers cannot be downloaded here). Browser tests count as failed.",
    );
    totals.failed += 1;
  } else {
    // The browser journeys run against the production build of the current code.
    if (process.env.SKIP_BUILD !== "1" && run("npx", ["next", "build"]) !== 0) {
      totals.failed += 1;
      problems.push("next build failed");
    }
    const file = join(out, "playwright.json");
    const status = run("npx", ["playwright", "test", "--reporter=list,json"], {
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: file },
    });
    const report = readJson(file);
    if (report?.stats) {
      totals.passed += report.stats.expected + report.stats.flaky;
      totals.failed += report.stats.unexpected;
      if (report.stats.skipped > 0) problems.push("playwright: skipped tests present");
      if (report.errors?.length) totals.failed += report.errors.length;
    } else if (status !== 0) {
      totals.failed += 1;
      problems.push("playwright did not produce a report");
    }
  }
}

for (const p of problems) console.error(`note: ${p}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
