import { expect, type Locator, type Page } from '@playwright/test';
import type { Catalog } from '../support/catalog';

type Mode = 'sync' | 'import' | 'export';

/** The main choice of exchange type, saved with its own Speichern. */
export class ModeChoice {
  readonly card: Locator;

  constructor(
    page: Page,
    private readonly t: Catalog,
  ) {
    this.card = page.getByRole('region', { name: t.mode.title });
  }

  radio(mode: Mode): Locator {
    return this.card.getByRole('radio', { name: this.t.mode[mode], exact: true });
  }

  async choose(mode: Mode): Promise<void> {
    await this.radio(mode).check();
    await this.card.getByRole('button', { name: this.t.app.save }).click();
    await expect(this.card.getByRole('status')).toHaveText(this.t.mode.saved);
  }
}
