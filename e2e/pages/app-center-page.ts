import { expect, type Page } from '@playwright/test';

/** The demo App Center of the Xentral mock: lists the HubSpot app and opens it. */
export class AppCenterPage {
  constructor(private readonly page: Page) {}

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByRole('heading', { name: 'App Center' })).toBeVisible();
  }

  /** "Öffnen" mints a signed launch token and sends the admin to the app. */
  async openHubSpotApp(): Promise<void> {
    await this.page.getByRole('link', { name: 'Öffnen' }).click();
  }
}
