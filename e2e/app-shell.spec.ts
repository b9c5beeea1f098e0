import { expect, test } from './fixtures';

test('the page served by the app renders and reaches the API', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'HubSpot' })).toBeVisible();
  const health = page.getByTestId('health');
  await expect(health).toContainText('Bereit');
  const screenshot = await page.screenshot({ fullPage: true });
  await testInfo.attach('app-shell', { body: screenshot, contentType: 'image/png' });
});
