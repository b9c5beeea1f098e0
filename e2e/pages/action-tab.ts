import { expect, type Locator, type Page } from '@playwright/test';
import type { Catalog } from '../support/catalog';

/** Action: manual or automatic, the process starter, the start buttons and live progress. */
export class ActionTab {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly manual: Locator;
  readonly automatic: Locator;
  readonly interval: Locator;
  readonly saveButton: Locator;
  readonly processStarter: Locator;
  readonly startImportButton: Locator;
  readonly startExportButton: Locator;
  readonly progress: Locator;
  readonly progressBar: Locator;
  readonly timeLeft: Locator;
  readonly liveCounts: Locator;

  constructor(
    page: Page,
    private readonly t: Catalog,
  ) {
    this.tab = page.getByRole('tab', { name: t.tabs.action });
    this.panel = page.getByRole('tabpanel', { name: t.tabs.action });
    this.manual = this.panel.getByRole('radio', { name: t.action.manual, exact: true });
    this.automatic = this.panel.getByRole('radio', { name: t.action.automatic, exact: true });
    this.interval = this.panel.getByRole('spinbutton', { name: t.action.interval });
    this.saveButton = this.panel.getByRole('button', { name: t.app.save, exact: true });
    this.processStarter = this.panel.getByTestId('process-starter');
    this.startImportButton = this.panel.getByRole('button', { name: t.action.startImport });
    this.startExportButton = this.panel.getByRole('button', { name: t.action.startExport });
    this.progress = this.panel.getByTestId('run-progress');
    this.progressBar = this.panel.getByRole('progressbar', { name: t.action.progressLabel });
    this.timeLeft = this.panel.getByTestId('time-left');
    this.liveCounts = this.panel.getByTestId('live-counts');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
  }

  notice(text: string): Locator {
    return this.panel.getByText(text);
  }

  count(key: 'created' | 'edited' | 'conflicts' | 'skipped' | 'failed'): Locator {
    return this.liveCounts.locator(`[data-count="${key}"] dd`);
  }
}
