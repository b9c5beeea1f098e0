import { expect, type Locator, type Page } from '@playwright/test';
import type { Catalog } from '../support/catalog';

/** Settings: lifecycle stages, project, deal sync, defaults, Speichern. */
export class SettingsTab {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly refreshStagesButton: Locator;
  readonly projectSearch: Locator;
  readonly selectedProject: Locator;
  readonly dealSync: Locator;
  readonly salutation: Locator;
  readonly country: Locator;
  readonly saveButton: Locator;

  constructor(
    private readonly page: Page,
    private readonly t: Catalog,
  ) {
    this.tab = page.getByRole('tab', { name: t.tabs.settings });
    this.panel = page.getByRole('tabpanel', { name: t.tabs.settings });
    this.refreshStagesButton = this.panel.getByRole('button', { name: t.settings.stagesRefresh });
    this.projectSearch = this.panel.getByRole('combobox', { name: t.settings.projectSearch });
    this.selectedProject = this.panel.getByTestId('selected-project');
    this.dealSync = this.panel.getByRole('checkbox', { name: t.settings.dealSync });
    this.salutation = this.panel.getByLabel(t.settings.salutation, { exact: true });
    this.country = this.panel.getByLabel(t.settings.country, { exact: true });
    this.saveButton = this.panel.getByRole('button', { name: t.app.save, exact: true });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
  }

  stage(label: string): Locator {
    return this.panel.getByRole('checkbox', { name: label, exact: true });
  }

  async refreshStages(): Promise<void> {
    await this.refreshStagesButton.click();
    await expect(this.panel.getByText(this.t.settings.stagesRefreshed)).toBeVisible();
  }

  /** Types into the searchable project field; the matching projects are listed. */
  async searchProject(search: string): Promise<Locator> {
    await this.projectSearch.fill(search);
    const listbox = this.page.getByRole('listbox', { name: this.t.settings.project });
    await expect(listbox).toBeVisible();
    return listbox;
  }

  async pickProject(name: string): Promise<void> {
    const option = this.page.getByRole('option', { name: new RegExp(`^${name}`) });
    await expect(option).toBeVisible();
    await option.click();
    await expect(this.selectedProject).toContainText(name);
  }

  async save(): Promise<void> {
    await this.saveButton.click();
    await expect(
      this.panel.getByRole('status').filter({ hasText: this.t.settings.saved }),
    ).toBeVisible();
  }
}
