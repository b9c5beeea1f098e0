import { expect, type Locator, type Page } from '@playwright/test';
import { fill, type Catalog } from '../support/catalog';

export type CountKey = 'created' | 'edited' | 'conflicts' | 'skipped' | 'failed';

/** Overview: the run log, a run's records and conflicts, and the conflicts list. */
export class OverviewTab {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly runLog: Locator;
  readonly runDetail: Locator;
  readonly conflictList: Locator;

  constructor(
    private readonly page: Page,
    private readonly t: Catalog,
  ) {
    this.tab = page.getByRole('tab', { name: t.tabs.overview });
    this.panel = page.getByRole('tabpanel', { name: t.tabs.overview });
    this.runLog = this.panel.getByRole('region', { name: t.overview.runs });
    this.runDetail = this.panel.getByTestId('run-detail');
    this.conflictList = this.panel.getByRole('region', { name: t.overview.conflicts, exact: true });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
  }

  run(id: number): Locator {
    return this.runLog.locator(`tr[data-run-id="${id}"]`);
  }

  /** The row's cells, keyed by column header text. */
  async runCells(id: number): Promise<Record<string, string>> {
    const headers = await this.runLog.locator('thead th').allInnerTexts();
    const cells = await this.run(id).locator('td').allInnerTexts();
    return Object.fromEntries(
      headers.map((header, index) => [header.trim(), cells[index]?.trim() ?? '']),
    );
  }

  async runCount(id: number, key: CountKey): Promise<number> {
    const text = await this.run(id).locator(`td[data-count="${key}"]`).innerText();
    return Number(text.replace(/\D/g, ''));
  }

  /** Opens the run's details (a run that is open already stays open). */
  async openRun(id: number): Promise<void> {
    const close = this.runLog.getByRole('button', { name: fill(this.t.overview.closeRun, { id }) });
    if (!(await close.isVisible())) {
      await this.runLog
        .getByRole('button', { name: fill(this.t.overview.openRun, { id }) })
        .click();
    }
    await expect(close).toHaveAttribute('aria-expanded', 'true');
    await expect(this.runDetail).toBeVisible();
  }

  /** The run's records table rows with a given action. */
  runItems(action?: 'created' | 'edited' | 'linked' | 'conflict' | 'skipped' | 'failed'): Locator {
    const rows = this.runDetail.getByTestId('run-item');
    return action
      ? this.runDetail.locator(`[data-testid="run-item"][data-action="${action}"]`)
      : rows;
  }

  runConflict(label: string): Locator {
    return this.runDetail
      .getByTestId('conflict')
      .filter({ has: this.page.getByRole('heading', { name: label, exact: true }) });
  }

  conflict(label: string): Locator {
    return this.conflictList
      .getByTestId('conflict')
      .filter({ has: this.page.getByRole('heading', { name: label, exact: true }) });
  }

  async resolve(label: string, choice: 'xentral' | 'hubspot' | 'keep'): Promise<void> {
    const button = {
      xentral: this.t.overview.takeXentral,
      hubspot: this.t.overview.takeHubspot,
      keep: this.t.overview.keepBoth,
    }[choice];
    await this.conflict(label).getByRole('button', { name: button }).click();
  }
}
