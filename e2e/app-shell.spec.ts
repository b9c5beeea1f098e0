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

test('reflows on a 320 px screen: no tab needs sideways scrolling', async ({
  page,
  appServer,
}, testInfo) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(appServer.appCenterUrl);
  await new AppCenterPage(page).openHubSpotApp();
  await expect(page.getByRole('heading', { name: 'HubSpot', level: 1 })).toBeVisible();
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  for (const tab of ['Einstellungen', 'Aktion', 'Übersicht']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    expect(await pageWidth(), `the ${tab} tab at 320 px`).toBeLessThanOrEqual(320);
  }
  await screenshot(page, testInfo, 'de-narrow-320');
  await checkAccessibility(page, testInfo, 'de-narrow-320');
});
