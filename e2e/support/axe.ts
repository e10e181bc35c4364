import { expect, type Page } from "@playwright/test";
import { join } from "node:path";

/** axe-core's browser build, injected as is (no @axe-core/playwright dependency). */
const AXE_SCRIPT = join(import.meta.dirname, "..", "..", "node_modules", "axe-core", "axe.min.js");

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** One readable paragraph per violation: rule, impact, what to fix, and the first few offending elements. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `    - ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${n.failureSummary?.replace(/\n/g, " ") ?? ""}`,
        )
        .join("\n");
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : "";
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join("\n\n");
}

/**
 * Runs axe on the page as it is now and fails with a readable list when any violation is serious or critical
 * (the bar); minor and moderate findings are returned for the caller to log if it wants.
 */
export async function expectNoSeriousA11yViolations(page: Page, what: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context?: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document);
    return result.violations as AxeViolation[];
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.length,
    `serious or critical accessibility violations on ${what}:\n\n${describeViolations(bad)}`,
  ).toBe(0);
  return violations.filter((v) => !bad.includes(v));
}
