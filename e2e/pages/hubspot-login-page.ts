import { expect, type Page } from '@playwright/test';

/** The HubSpot mock's OAuth pages: log in, then Choose Account. */
export class HubSpotLoginPage {
  constructor(private readonly page: Page) {}

  async signIn(email: string, password: string): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Log in to HubSpot' })).toBeVisible();
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
  }

  async chooseAccount(name: string): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Choose an account' })).toBeVisible();
    await this.page.getByRole('button', { name }).click();
  }
}
