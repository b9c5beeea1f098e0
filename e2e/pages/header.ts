import { expect, type Locator, type Page } from '@playwright/test';
import type { Catalog, Language } from '../support/catalog';

/** The header: the HubSpot connection and the language switch. */
export class Header {
  readonly connection: Locator;
  readonly connectLink: Locator;
  readonly removeButton: Locator;
  readonly facts: Locator;
  readonly languageSelect: Locator;
  /** The page-wide banner while HubSpot refuses the stored sign-in (not the notices of a tab). */
  readonly reconnectBanner: Locator;

  constructor(
    private readonly page: Page,
    private readonly t: Catalog,
  ) {
    this.connection = page.getByRole('region', { name: t.connection.region });
    this.connectLink = this.connection.getByRole('link', { name: t.connection.connect });
    this.removeButton = this.connection.getByRole('button', { name: t.connection.remove });
    this.facts = this.connection.getByTestId('connection-facts');
    this.languageSelect = page.getByLabel(t.language.label);
    this.reconnectBanner = page.getByTestId('reconnect-banner');
  }

  async expectDisconnected(): Promise<void> {
    await expect(this.connection).toContainText(this.t.connection.notConnected);
    await expect(this.connectLink).toBeVisible();
  }

  async connect(): Promise<void> {
    await this.connectLink.click();
  }

  async expectConnected(portal: { hubId: string; domain: string; user: string }): Promise<void> {
    await expect(this.connection).toContainText(this.t.connection.connected);
    await expect(this.facts).toContainText(portal.hubId);
    await expect(this.facts).toContainText(portal.domain);
    await expect(this.facts).toContainText(portal.user);
    await expect(this.facts).toContainText(this.t.connection.since);
    await expect(this.removeButton).toBeVisible();
  }

  /** Remove the connection, through its confirmation dialog. */
  async removeConnection(whileAsked?: () => Promise<void>): Promise<void> {
    await this.removeButton.click();
    const dialog = this.page.getByRole('dialog', { name: this.t.connection.confirmTitle });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: this.t.app.cancel })).toBeFocused();
    await whileAsked?.();
    await dialog.getByRole('button', { name: this.t.connection.remove }).click();
    await expect(dialog).toBeHidden();
  }

  async switchLanguage(language: Language): Promise<void> {
    await this.languageSelect.selectOption(language);
  }
}
