import { expect, test } from './fixtures';
import { App } from './pages/app';
import { AppCenterPage } from './pages/app-center-page';
import { HubSpotLoginPage } from './pages/hubspot-login-page';
import { checkAccessibility, screenshot } from './support/evidence';

// HubSpot is reset here: this spec gets a server (and mocks) of its own.
test.use({ serverName: 'needs-reconnect' });

const LOGIN = { email: 'admin@example.com', password: 'demo' };

test('when HubSpot refuses the stored sign-in, "needs reconnect" is shown and connecting heals it', async ({
  page,
  appServer,
  hubspot,
}, testInfo) => {
  const de = new App(page, 'de');
  const hubspotLogin = new HubSpotLoginPage(page);

  await test.step('open the app and connect', async () => {
    // Tokens that live less than the app's refresh margin: it refreshes before every call.
    await hubspot.settings({ accessTokenTtlSeconds: 60 });
    const appCenter = new AppCenterPage(page);
    await appCenter.goto(appServer.appCenterUrl);
    await appCenter.openHubSpotApp();
    await de.header.connect();
    await hubspotLogin.signIn(LOGIN.email, LOGIN.password);
    await hubspotLogin.chooseAccount('Demo GmbH');
    await de.header.expectConnected({
      hubId: '1234567',
      domain: 'demo-gmbh.example',
      user: LOGIN.email,
    });
  });

  await test.step('HubSpot forgets every token; the next refresh is refused', async () => {
    await hubspot.reset();
    await hubspot.seed({
      portals: [{ hubId: 1234567, name: 'Demo GmbH', domain: 'demo-gmbh.example' }],
      login: LOGIN,
      contacts: 5,
    });
    await de.settings.open();
    await de.settings.refreshStagesButton.click();
    await expect(de.settings.panel.getByRole('alert')).toBeVisible();
  });

  await test.step('the page says so prominently, and runs cannot start', async () => {
    const banner = de.header.reconnectBanner;
    await expect(banner).toBeVisible();
    await expect(banner).toHaveRole('alert');
    await expect(banner).toContainText(de.t.connection.needsReconnectTitle);
    await expect(banner).toContainText('Grund:');
    await expect(de.header.connection).toContainText(de.t.connection.needsReconnect);
    await expect(de.messages.message(de.t.messages.connection.needs_reconnect)).toBeVisible();
    await de.action.open();
    await expect(de.action.panel.getByText(de.t.action.needsReconnectHint)).toBeVisible();
    await screenshot(page, testInfo, 'de-needs-reconnect');
    await checkAccessibility(page, testInfo, 'de-needs-reconnect');
  });

  await test.step('connecting again from the banner heals it', async () => {
    const banner = de.header.reconnectBanner;
    await banner.getByRole('link', { name: 'Verbindung zu HubSpot herstellen' }).click();
    await hubspotLogin.signIn(LOGIN.email, LOGIN.password);
    // One portal left: HubSpot skips the account choice.
    await expect(page).toHaveURL(new RegExp(`^${appServer.url}/`));
    await de.header.expectConnected({
      hubId: '1234567',
      domain: 'demo-gmbh.example',
      user: LOGIN.email,
    });
    await expect(banner).toBeHidden();
  });
});
