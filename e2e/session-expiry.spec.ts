import { expect, test } from './fixtures';
import { App } from './pages/app';
import { AppCenterPage } from './pages/app-center-page';
import { checkAccessibility, screenshot } from './support/evidence';

// Saves settings of its own: a server (and mocks) of its own.
test.use({ serverName: 'session-expiry' });

test('a session that ends while editing says so, keeps the edit, and brings it back after signing in again', async ({
  page,
  appServer,
}, testInfo) => {
  const de = new App(page, 'de');
  const appCenter = new AppCenterPage(page);

  await test.step('open the app and change a default and the mode, without saving', async () => {
    await appCenter.goto(appServer.appCenterUrl);
    await appCenter.openHubSpotApp();
    await de.settings.open();
    const before = await de.settings.salutation.inputValue();
    const other = before === 'mr' ? 'mrs' : 'mr';
    await de.settings.salutation.selectOption(other);
    await de.mode.radio('export').check();
    await expect(de.settings.panel.getByText(de.t.app.unsaved)).toBeVisible();
    testInfo.annotations.push({ type: 'salutation', description: other });
  });
  const edited = await de.settings.salutation.inputValue();

  await test.step('the session ends; saving says so and the page keeps the edit', async () => {
    // What an idle timeout does to the browser: the session cookie no longer opens a session.
    await page.context().clearCookies();
    await de.settings.saveButton.click();
    const banner = page.getByTestId('session-expired-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveRole('alert');
    await expect(banner).toContainText('Ihre Sitzung ist abgelaufen');
    await expect(de.settings.salutation).toHaveValue(edited);
    await expect(de.mode.radio('export')).toBeChecked();
    await expect(page.getByRole('heading', { name: de.t.signin.title })).toBeHidden();
    await screenshot(page, testInfo, 'de-session-expired');
    await checkAccessibility(page, testInfo, 'de-session-expired');
  });

  await test.step('opened again from the App Center, the edit is back and can be saved', async () => {
    await page.getByTestId('session-expired-banner').getByRole('link').click();
    await expect(page).toHaveURL(appServer.appCenterUrl);
    await appCenter.openHubSpotApp();
    await de.settings.open();
    await expect(de.settings.salutation).toHaveValue(edited);
    await expect(de.mode.radio('export')).toBeChecked();
    await expect(de.settings.panel.getByText(de.t.app.draftRestored)).toBeVisible();
    await de.settings.save();
    await de.mode.card.getByRole('button', { name: de.t.app.save }).click();
    await expect(de.mode.card.getByRole('status')).toHaveText(de.t.mode.saved);
  });

  await test.step('a reload shows the saved values, and no restored draft', async () => {
    await page.reload();
    await de.settings.open();
    await expect(de.settings.salutation).toHaveValue(edited);
    await expect(de.mode.radio('export')).toBeChecked();
    await expect(de.settings.panel.getByText(de.t.app.draftRestored)).toBeHidden();
    await expect(de.settings.panel.getByText(de.t.app.unsaved)).toBeHidden();
  });
});
