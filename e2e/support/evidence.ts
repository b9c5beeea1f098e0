import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const AXE_DIR = path.resolve(import.meta.dirname, '../../test-results/axe');

/** A full-page screenshot, attached to the report and kept under test-results/screenshots. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  // Let transitions (progress bar width, focus) settle so the picture shows the final state.
  await page.evaluate(() => document.fonts.ready);
  const body = await page.screenshot({ fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { body, contentType: 'image/png' });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  fs.writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), body);
}

const SERIOUS = new Set(['serious', 'critical']);

/**
 * axe-core against WCAG 2.1 A/AA on the page as it is now; serious or critical violations fail
 * the test, everything axe found is attached to the report.
 */
export async function checkAccessibility(
  page: Page,
  testInfo: TestInfo,
  name: string,
): Promise<{ violations: number; serious: number; passes: number }> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => node.target.join(' ')),
  }));
  const report = JSON.stringify({ violations: summary, passes: results.passes.length }, null, 2);
  await testInfo.attach(`axe-${name}`, { body: report, contentType: 'application/json' });
  fs.mkdirSync(AXE_DIR, { recursive: true });
  fs.writeFileSync(path.join(AXE_DIR, `${name}.json`), report);
  const serious = summary.filter((violation) => SERIOUS.has(violation.impact ?? ''));
  expect(serious, `serious accessibility violations on ${name}`).toEqual([]);
  return { violations: summary.length, serious: serious.length, passes: results.passes.length };
}
