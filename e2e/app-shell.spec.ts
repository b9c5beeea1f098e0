import { expect, test } from './fixtures';
import { App } from './pages/app';
import { AppCenterPage } from './pages/app-center-page';
import { checkAccessibility, screenshot } from './support/evidence';

test('without a session the app points to the App Center, which opens it', async ({
  page,
  appServer,
}, testInfo) => {
  await page.goto('/');
  await expect(
    page.getByRole('heading', { name: 'Bitte öffnen Sie die App über das Xentral App Center' }),
  ).toBeVisible();
  const link = page.getByRole('link', { name: 'Zum Xentral App Center' });
  await expect(link).toHaveAttribute('href', appServer.appCenterUrl);
  await screenshot(page, testInfo, 'de-not-signed-in');
  await checkAccessibility(page, testInfo, 'de-not-signed-in');

  await link.click();
  const appCenter = new AppCenterPage(page);
  await expect(page).toHaveURL(appServer.appCenterUrl);
  await appCenter.openHubSpotApp();
  const app = new App(page);
  await expect(page.getByRole('heading', { name: 'HubSpot', level: 1 })).toBeVisible();
  await expect(app.header.connection).toBeVisible();
  await expect(page.getByText('Angemeldet als Admin')).toBeVisible();
});
