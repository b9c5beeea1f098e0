import { expect, test } from './fixtures';
import { App } from './pages/app';
import { AppCenterPage } from './pages/app-center-page';
import { HubSpotLoginPage } from './pages/hubspot-login-page';
import { fill, pattern } from './support/catalog';
import { checkAccessibility, screenshot } from './support/evidence';
import type { AdresseRow, HubSpotObject, XentralState } from './support/mocks';

const HUB_ID = 1234567;
const PORTAL = { hubId: String(HUB_ID), domain: 'demo-gmbh.example', user: 'admin@example.com' };
const STAGES = { ids: ['lead', 'customer'], labels: ['Lead', 'Customer'] };
const PROJECT = { search: 'shop', name: 'Onlineshop', key: 'SHOP' };
/** Markup from outside must arrive on screen as the text it is. */
const XENTRAL_PHONE = '+49 89 5550100 <b>Zentrale</b>';
/** A script in a contact's name, in both systems: shown as text, never run. */
const SCRIPT = '<script>window.__injected = true</script>';

/** What the Xentral table looked like before the run, to tell created from edited rows. */
function diffAddresses(before: XentralState, after: XentralState) {
  const previous = new Map(before.adresse.map((row) => [row.id, row]));
  const created: AdresseRow[] = [];
  const edited: AdresseRow[] = [];
  for (const row of after.adresse) {
    const old = previous.get(row.id);
    if (!old) created.push(row);
    else if (old.logdatei !== row.logdatei) edited.push(row);
  }
  return { created, edited };
}

/** HubSpot's free-text salutation as Xentral's address type: Mr/Herr → mr, Mrs/Ms/Frau → mrs. */
function salutationOf(value: string | null | undefined): 'mr' | 'mrs' | null {
  if (!value) return null;
  if (/^(mr\.?|herr)$/i.test(value.trim())) return 'mr';
  if (/^(mrs\.?|ms\.?|frau)$/i.test(value.trim())) return 'mrs';
  return null;
}

/**
 * A HubSpot contact in a selected stage that Xentral does not have yet, living in Germany (so
 * its country matches the Xentral copy made below and the phone is the only difference).
 */
function conflictCandidate(contacts: HubSpotObject[], xentral: XentralState): HubSpotObject {
  const known = new Set(xentral.adresse.map((row) => row.email.toLowerCase()));
  const candidate = contacts
    .filter((contact) => {
      const p = contact.properties;
      return (
        p.lifecyclestage === 'lead' &&
        !!p.email &&
        !!p.phone &&
        !!p.firstname &&
        !!p.lastname &&
        salutationOf(p.salutation) !== null &&
        (p.country === 'Deutschland' || p.country === 'Germany') &&
        !known.has(p.email.toLowerCase())
      );
    })
    .sort((a, b) => Number(a.id) - Number(b.id))[0];
  if (!candidate) throw new Error('The demo data has no suitable lead contact for a conflict');
  return candidate;
}

test('the admin journey: App Center → connect → import → overview → conflict → English → disconnect', async ({
  page,
  appServer,
  xentral,
  hubspot,
}, testInfo) => {
  test.setTimeout(240_000);
  const de = new App(page, 'de');

  // Prepared first: the engine reads only changes that are a few seconds old, and the steps
  // before the run take longer than that.
  const portal = await hubspot.portal(HUB_ID);
  const xentralBefore = await xentral.state();
  const contact = conflictCandidate(portal.contacts, xentralBefore);
  const firstname = `${SCRIPT}${contact.properties.firstname}`;
  const contactName = `${firstname} ${contact.properties.lastname}`;
  const hubspotPhone = contact.properties.phone!;
  const prepared =
    await test.step('prepare a conflict: the same person in Xentral with another phone', async () => {
      await hubspot.updateContact(HUB_ID, contact.id, { firstname });
      return xentral.createPerson({
        name: contactName,
        type: salutationOf(contact.properties.salutation) ?? 'mr',
        email: contact.properties.email!,
        phone: XENTRAL_PHONE,
      });
    });

  await test.step('open the app from the Xentral App Center', async () => {
    const appCenter = new AppCenterPage(page);
    await appCenter.goto(appServer.appCenterUrl);
    await appCenter.openHubSpotApp();
    await expect(page).toHaveURL(new RegExp(`^${appServer.url}/`));
    await de.header.expectDisconnected();
    // Xentral's own label, literally.
    await expect(
      page.getByRole('link', { name: 'Verbindung zu HubSpot herstellen' }),
    ).toBeVisible();
  });

  await test.step('connect through the HubSpot login and account choice', async () => {
    await de.header.connect();
    const hubspotLogin = new HubSpotLoginPage(page);
    await hubspotLogin.signIn('admin@example.com', 'demo');
    await hubspotLogin.chooseAccount('Demo GmbH');
    await expect(page).toHaveURL(`${appServer.url}/`);
    await de.header.expectConnected(PORTAL);
    await expect(page.getByRole('button', { name: 'Verbindung entfernen' })).toBeVisible();
    await expect(de.messages.message(de.t.connection.connectedNotice)).toBeVisible();
  });

  await test.step('the tabs are reachable by keyboard, with a visible focus ring', async () => {
    await de.settings.tab.focus();
    await page.keyboard.press('ArrowRight');
    await expect(de.action.tab).toBeFocused();
    await expect(de.action.tab).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowRight');
    await expect(de.overview.tab).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(de.settings.tab).toBeFocused();
    const outline = await de.settings.tab.evaluate(
      (element) => getComputedStyle(element).outlineStyle,
    );
    expect(outline).not.toBe('none');
  });

  await test.step('choose Import as the exchange type and save', async () => {
    await de.mode.choose('import');
    await expect(de.mode.radio('import')).toBeChecked();
  });

  await test.step('settings: two lifecycle stages and a project, saved', async () => {
    await de.settings.open();
    await expect(
      page.getByRole('button', { name: 'Lifecycle-Phasen aktualisieren' }),
    ).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'Deal-Synchronisation aktiv' })).toBeVisible();
    await expect(de.settings.panel).toContainText(
      'Ohne Auswahl werden keine Kontakte oder Firmen importiert – nur HubSpot-Benutzer.',
    );
    await de.settings.refreshStages();
    for (const label of STAGES.labels) await de.settings.stage(label).check();
    const found = await de.settings.searchProject(PROJECT.search);
    await expect(found.getByRole('option')).toHaveCount(1);
    await screenshot(page, testInfo, 'de-settings-project-search');
    await de.settings.pickProject(PROJECT.name);
    await expect(de.settings.panel.getByText(de.t.app.unsaved)).toBeVisible();
    await de.settings.save();

    // What was saved is what comes back after a reload.
    await page.reload();
    await de.settings.open();
    for (const label of STAGES.labels) await expect(de.settings.stage(label)).toBeChecked();
    await expect(de.settings.stage('Subscriber')).not.toBeChecked();
    await expect(de.settings.selectedProject).toContainText(`${PROJECT.name} (${PROJECT.key})`);
  });

  await test.step('action: an invalid interval is refused with a clear message', async () => {
    await de.action.open();
    await de.action.automatic.check();
    await expect(de.action.processStarter).toContainText('Hubspot Data Sync');
    await de.action.interval.fill('2');
    await de.action.saveButton.click();
    await expect(de.action.panel.getByText(de.t.action.intervalInvalid)).toBeVisible();
    await expect(de.action.interval).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, testInfo, 'de-action-automatic-invalid');
    await de.action.manual.check();
    await expect(de.action.processStarter).toBeHidden();
  });

  let runId = 0;
  const beforeRun = await xentral.state();
  await test.step('start the manual import and watch progress and the message bar', async () => {
    const start = page.getByRole('button', { name: 'Manuellen Import: HubSpot → Xentral starten' });
    await expect(start).toBeEnabled();
    // Slow answers from both systems, so the run lasts long enough to be watched.
    await xentral.faults({ latencyMs: 150 });
    await hubspot.faults({ latencyMs: 120 });
    try {
      await start.click();
      await expect(start).toBeDisabled();
      await expect(de.action.panel.getByText(de.t.action.runActiveHint)).toBeVisible();
      await expect(de.action.progressBar).toBeVisible();
      await expect(de.action.progress).toContainText(pattern(de.t.action.running));
      // The time left: from the run's pace or a system's limit, or unknown before any work.
      const timeLeft = [
        de.t.action.remainingUnknown,
        de.t.action.remainingDone,
        pattern(de.t.action.remainingAbout).source,
        pattern(de.t.action.remainingLimit).source,
        pattern(de.t.action.remainingWait).source,
      ];
      await expect(de.action.timeLeft).toHaveText(new RegExp(timeLeft.join('|')));
      // One count for the whole run, whatever step it is in.
      await expect(de.action.progress).toContainText(
        new RegExp(
          `${pattern(de.t.action.overallCount).source}|${pattern(de.t.action.overallCountGrowing).source}`,
        ),
      );
      await expect(de.action.progressBar).toHaveAttribute('aria-valuenow', /\d+/);
      await expect(de.messages.message(/Import gestartet \(Manuell\), Lauf #\d+\./)).toBeVisible();
      await expect(de.messages.liveLine).toBeVisible();
      const started = await de.messages.message(/Import gestartet/).innerText();
      runId = Number(/Lauf #(\d+)/.exec(started)?.[1]);
      await expect(de.action.progress).toContainText(/Lesen|Schreiben|Planen/);
      await screenshot(page, testInfo, 'de-action-running');

      const finished = de.messages.message(/Import abgeschlossen/);
      await expect(finished).toBeVisible({ timeout: 90_000 });
      await expect(finished).toContainText(/erstellt: \d+, bearbeitet: \d+, Konflikte: \d+/);
      await expect(start).toBeEnabled();
      await expect(de.action.progress).toContainText(pattern(de.t.action.finished));
      // A run that succeeded fills the bar.
      await expect(de.action.progressBar).toHaveAttribute('aria-valuenow', '100');
      await expect(de.messages.liveLine).toBeHidden();
    } finally {
      await xentral.faults({});
      await hubspot.faults({});
    }
    expect(runId).toBeGreaterThan(0);
  });

  await test.step('overview: the run with the counts the mocks confirm', async () => {
    const afterRun = await xentral.state();
    const { created, edited } = diffAddresses(beforeRun, afterRun);
    await de.overview.open();
    const row = de.overview.run(runId);
    await expect(row).toBeVisible();
    const cells = await de.overview.runCells(runId);
    expect(cells).toMatchObject({ Art: 'Import', Auslöser: 'Manuell', Status: 'Erfolgreich' });
    // Xentral's labels for the counts, literally.
    for (const header of ['erstellt', 'bearbeitet', 'Konflikte']) {
      await expect(
        de.overview.runLog.getByRole('columnheader', { name: header, exact: true }),
      ).toBeVisible();
    }
    expect(await de.overview.runCount(runId, 'created')).toBe(created.length);
    expect(await de.overview.runCount(runId, 'edited')).toBe(edited.length);
    expect(created.length).toBeGreaterThan(0);

    // Every new address got the chosen project and came from a chosen stage (or is a user).
    const project = afterRun.projekt.find((candidate) => candidate.abkuerzung === PROJECT.key)!;
    const hubspotAfter = await hubspot.portal(HUB_ID);
    const stageByEmail = new Map(
      hubspotAfter.contacts.map((c) => [
        c.properties.email?.toLowerCase(),
        c.properties.lifecyclestage,
      ]),
    );
    const stageByName = new Map(
      hubspotAfter.companies.map((c) => [c.properties.name, c.properties.lifecyclestage]),
    );
    const owners = new Set(hubspotAfter.owners.map((owner) => owner.email.toLowerCase()));
    for (const address of created) {
      expect(address.projekt, `project of new address ${address.id}`).toBe(project.id);
      if (address.mitarbeiternummer !== '') {
        expect(owners.has(address.email.toLowerCase()), `${address.email} is a HubSpot user`).toBe(
          true,
        );
      } else {
        const stage =
          address.typ === 'firma'
            ? stageByName.get(address.name)
            : stageByEmail.get(address.email.toLowerCase());
        expect(STAGES.ids, `stage of ${address.name}`).toContain(stage);
      }
    }

    // The prepared pair was linked but not written: the phones still differ → one conflict.
    const pair = afterRun.adresse.find((candidate) => candidate.id === Number(prepared.id))!;
    expect(pair.telefon).toBe(XENTRAL_PHONE);
    expect(await de.overview.runCount(runId, 'conflicts')).toBeGreaterThanOrEqual(1);
  });

  await test.step('a run opens into its records (field level) and its conflicts', async () => {
    await de.overview.openRun(runId);
    await expect(de.overview.runDetail).toContainText(
      fill(de.t.overview.runTitle, { id: runId, kind: 'Import', trigger: 'Manuell' }),
    );
    const createdItem = de.overview.runItems('created').first();
    await expect(createdItem).toBeVisible();
    await expect(createdItem).toContainText(/E-Mail: \(leer\) → \S+@\S+/);
    // Reasons come in the admin's language, not in the server's English.
    const linkedItem = de.overview.runItems('linked').filter({ hasText: contactName });
    await expect(linkedItem).toContainText('verknüpft über die E-Mail-Adresse');
    const conflict = de.overview.runConflict(contactName);
    await expect(conflict).toContainText('Feld: Telefon');
    await expect(conflict).toContainText(XENTRAL_PHONE);
    await expect(conflict).toContainText(hubspotPhone);
    const conflicts = await de.overview.runDetail.getByTestId('conflict').count();
    expect(await de.overview.runCount(runId, 'conflicts')).toBe(conflicts);
  });

  await test.step('German screenshots and accessibility of every tab', async () => {
    for (const [name, tab] of Object.entries(de.tabs)) {
      await tab.open();
      await screenshot(page, testInfo, `de-${name}`);
      await checkAccessibility(page, testInfo, `de-${name}`);
    }
  });

  await test.step('resolve the prepared conflict with HubSpot’s value; Xentral gets it', async () => {
    await de.overview.open();
    const card = de.overview.conflict(contactName);
    await expect(card.getByText(XENTRAL_PHONE)).toBeVisible();
    await expect(card.locator('b')).toHaveCount(0);
    // The name with its <script> is on screen as text; nothing of it ran or became markup.
    await expect(card.getByRole('heading', { name: contactName, exact: true })).toBeVisible();
    await expect(card.locator('script')).toHaveCount(0);
    expect(await page.evaluate(() => '__injected' in window)).toBe(false);
    await expect(card.getByText(hubspotPhone)).toBeVisible();
    const conflictId = await card.getAttribute('data-conflict-id');
    const take = card.getByRole('button', { name: de.t.overview.takeHubspot });
    // A refused resolve (a run started meanwhile) says why and leaves focus on the button.
    const resolveRoute = '**/api/conflicts/*/resolve';
    await page.route(resolveRoute, (route) =>
      route.fulfill({
        status: 409,
        json: { error: { code: 'run_active', message: 'A run is active.' } },
      }),
    );
    await take.focus();
    await page.keyboard.press('Enter');
    await expect(card.getByRole('alert')).toHaveText(pattern(de.t.overview.resolveFailed));
    await expect(take).toBeFocused();
    await expect(take).toHaveAccessibleDescription(pattern(de.t.overview.resolveFailed));
    await page.unroute(resolveRoute);
    // Measured where the click will happen: scrolled first, so the click does not scroll.
    await take.scrollIntoViewIfNeeded();
    const pressed = await take.boundingBox();
    expect(pressed).not.toBeNull();
    const listReloaded = page.waitForResponse(
      (response) =>
        response.request().method() === 'GET' &&
        /\/api\/conflicts\?(.*&)?status=open/.test(response.url()),
    );
    await de.overview.resolve(contactName, 'hubspot');
    // The card stays where it was and says what happened; focus goes to its heading, not to
    // <body> nor to the next card's button, so a second Enter resolves nothing.
    await expect(card.getByRole('status')).toHaveText(
      fill(de.t.overview.resolvedNotice.hubspot, { field: de.t.field.phone, label: contactName }),
    );
    await expect(card.getByRole('heading', { name: contactName, exact: true })).toBeFocused();
    await expect(card.getByRole('button')).toHaveCount(0);
    await screenshot(page, testInfo, 'de-conflict-resolved');
    await checkAccessibility(page, testInfo, 'de-conflict-resolved');
    // The open list reloads without it, and the card keeps its place: where the pointer pressed
    // there is this card, not another conflict's button for a second click to hit.
    await listReloaded;
    await expect(card).toContainText(de.t.overview.resolution.hubspot);
    const underPointer = await page.evaluate(
      ({ x, y }) => {
        const hit = document.elementFromPoint(x, y)?.closest('button, [data-testid="conflict"]');
        return hit?.tagName === 'BUTTON'
          ? 'a button'
          : (hit?.getAttribute('data-conflict-id') ?? null);
      },
      { x: pressed!.x + pressed!.width / 2, y: pressed!.y + pressed!.height / 2 },
    );
    expect(underPointer).toBe(conflictId);
    await expect
      .poll(async () => (await xentral.customer(prepared.id)).primaryAddress.phone)
      .toBe(hubspotPhone);
    const unchanged = await hubspot.contact(HUB_ID, contact.id, ['phone']);
    expect(unchanged.properties.phone).toBe(hubspotPhone);
    // The run's own view now shows it as resolved.
    await expect(de.overview.runConflict(contactName)).toContainText(
      de.t.overview.resolution.hubspot,
    );
  });

  await test.step('the start button follows the saved mode (Export)', async () => {
    await de.mode.choose('export');
    await de.action.open();
    await expect(
      page.getByRole('button', { name: 'Manuellen Export: Xentral → HubSpot starten' }),
    ).toBeVisible();
    await expect(de.action.startImportButton).toBeHidden();
    await de.mode.choose('import');
    await expect(de.action.startImportButton).toBeVisible();
  });

  const en = de.in('en');
  await test.step('switch to English: the same screens, translated, and remembered', async () => {
    await de.header.switchLanguage('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(en.header.removeButton).toHaveText('Remove connection');
    await expect(en.mode.radio('import')).toBeChecked();
    await expect(
      en.messages.message(
        /Import finished \(run #\d+\) – created: \d+, edited: \d+, conflicts: \d+/,
      ),
    ).toBeVisible();

    await en.settings.open();
    await expect(en.settings.refreshStagesButton).toHaveText('Update lifecycle stages');
    await expect(page.getByRole('checkbox', { name: 'Deal synchronisation active' })).toBeVisible();
    await expect(en.settings.saveButton).toHaveText('Save');
    await expect(en.settings.panel).toContainText(
      'With no stage selected, no contacts or companies are imported – only HubSpot users.',
    );
    await screenshot(page, testInfo, 'en-settings');
    await checkAccessibility(page, testInfo, 'en-settings');

    await en.action.open();
    await expect(
      page.getByRole('button', { name: 'Start manual import: HubSpot → Xentral' }),
    ).toBeVisible();
    await expect(en.action.progress).toContainText(/Import ended \(run #\d+\): Succeeded/);
    await screenshot(page, testInfo, 'en-action');
    await checkAccessibility(page, testInfo, 'en-action');

    await en.overview.open();
    for (const header of ['created', 'edited', 'conflicts', 'skipped', 'failed']) {
      await expect(
        en.overview.runLog.getByRole('columnheader', { name: header, exact: true }),
      ).toBeVisible();
    }
    expect(await en.overview.runCells(runId)).toMatchObject({
      Kind: 'Import',
      Trigger: 'Manual',
      Status: 'Succeeded',
    });
    await en.overview.conflictList.getByLabel('Status').selectOption('resolved');
    await expect(en.overview.conflict(contactName)).toContainText("HubSpot's value taken");
    await en.overview.openRun(runId);
    await expect(en.overview.runDetail).toContainText(/Email: \(empty\) → \S+@\S+/);
    await screenshot(page, testInfo, 'en-overview');
    await checkAccessibility(page, testInfo, 'en-overview');

    await page.reload();
    await expect(en.header.removeButton).toBeVisible();
    await expect(en.settings.tab).toHaveText('Settings');
  });

  await test.step('remove the connection (with confirmation)', async () => {
    const revoke = /^DELETE \/oauth\/v1\/refresh-tokens/;
    const revokedBefore = await hubspot.successes(revoke);
    await en.header.removeConnection(() => screenshot(page, testInfo, 'en-remove-connection'));
    await expect(en.header.connectLink).toHaveText('Connect to HubSpot');
    await expect(en.messages.message('The connection to HubSpot has been removed.')).toBeVisible();
    const connection = await page.request.get('/api/connection');
    expect(await connection.json()).toMatchObject({ status: 'disconnected', portal: null });
    // HubSpot was asked to revoke the refresh token, and did.
    expect(await hubspot.successes(revoke)).toBe(revokedBefore + 1);
    // The history stays.
    await en.overview.open();
    await expect(en.overview.run(runId)).toBeVisible();
    await en.action.open();
    await expect(en.action.panel.getByText(en.t.action.notConnectedHint)).toBeVisible();
    await expect(en.action.startImportButton).toBeDisabled();
  });
});
