import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunDetailResponse } from '../../shared/api/runs';
import { EngineStore, type NewRunItem } from '../storage/engine-store';
import { RunStore } from '../storage/run-store';
import { API_TOKEN, startAppEnv, type AppEnv, type Browser } from '../testing/app-env';

/** GET /api/runs/:id and its CSV file over HTTP, against the app's SQLite file. */

const AT = '2026-03-02T09:30:00.000Z';
const HEADER = 'type,direction,action,xentralId,hubspotId,label,reason,reasonCode,at';

let env: AppEnv;
let admin: Browser;
beforeEach(async () => {
  env = await startAppEnv();
  admin = env.browser();
  await admin.launch();
});
afterEach(() => env.close());

function buildItem(overrides: Partial<NewRunItem> = {}): NewRunItem {
  return {
    type: 'contact',
    direction: 'xentral_to_hubspot',
    action: 'created',
    xentralId: '1001',
    hubspotId: '501',
    label: 'Jürgen Müller',
    ...overrides,
  };
}

/** A finished run with these records, logged in this order. */
function logRun(items: NewRunItem[]): number {
  const db = env.server.composed.db;
  const runs = new RunStore(db);
  const id = runs.start('sync', 'manual', null, AT);
  const store = new EngineStore(db, 'portal');
  db.transaction(() => {
    for (const item of items) store.addItem(id, item, AT);
  })();
  runs.finish(id, 'succeeded', null, AT);
  return id;
}

async function download(path: string) {
  const response = await admin.fetch(path);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

/** The file's records after the BOM, header included. */
function lines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(1, -2).split('\r\n');
}

describe('GET /api/runs/:id/items.csv', () => {
  it("is every record of the run as a UTF-8 CSV file with a BOM, named by the run's id", async () => {
    const id = logRun([
      buildItem(),
      buildItem({
        type: 'company',
        direction: 'hubspot_to_xentral',
        action: 'skipped',
        xentralId: null,
        hubspotId: '777',
        label: 'Bäckerei Öztürk',
        reason: 'No e-mail address.',
        reasonCode: 'no_email',
      }),
    ]);
    const { response, bytes, text } = await download(`/api/runs/${id}/items.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="run-${id}-records.csv"`,
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines(text)).toEqual([
      HEADER,
      `contact,xentral_to_hubspot,created,1001,501,Jürgen Müller,,,${AT}`,
      `company,hubspot_to_xentral,skipped,,777,Bäckerei Öztürk,No e-mail address.,no_email,${AT}`,
    ]);
  });

  it('quotes commas, quotes and line breaks, and makes formulas text', async () => {
    const id = logRun([
      buildItem({ label: 'Müller, Schmidt & "Partner"' }),
      buildItem({ label: 'Zeile eins\nZeile zwei' }),
      buildItem({ label: '=HYPERLINK("http://evil.example","Klick")' }),
      buildItem({ label: '+49 30 123' }),
      buildItem({ label: '-1+1' }),
      buildItem({ label: '@SUM(A1:A2)' }),
    ]);
    const { text } = await download(`/api/runs/${id}/items.csv`);
    const label = (value: string) => `contact,xentral_to_hubspot,created,1001,501,${value},,,${AT}`;
    expect(lines(text)).toEqual([
      HEADER,
      label('"Müller, Schmidt & ""Partner"""'),
      label('"Zeile eins\nZeile zwei"'),
      label('"\'=HYPERLINK(""http://evil.example"",""Klick"")"'),
      label("'+49 30 123"),
      label("'-1+1"),
      label("'@SUM(A1:A2)"),
    ]);
  });

  it('has all records, however many, in the order they were logged', async () => {
    const count = 1_234;
    const id = logRun(
      Array.from({ length: count }, (_, n) => buildItem({ xentralId: String(n + 1) })),
    );
    logRun([buildItem({ label: 'another run' })]);
    const { text } = await download(`/api/runs/${id}/items.csv`);
    const rows = lines(text).slice(1);
    expect(rows).toHaveLength(count);
    expect(rows.map((row) => row.split(',')[3])).toEqual(
      Array.from({ length: count }, (_, n) => String(n + 1)),
    );
  });

  it('keeps answering other requests while a large file downloads, and after it is abandoned', async () => {
    const id = logRun(
      Array.from({ length: 30_000 }, (_, n) => buildItem({ xentralId: String(n + 1) })),
    );
    const controller = new AbortController();
    const response = await admin.fetch(`/api/runs/${id}/items.csv`, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    // the browser reads no further: the server waits for it, not holding the database
    expect((await admin.json('GET', `/api/runs/${id}?limit=1`)).status).toBe(200);
    controller.abort();
    await reader.read().catch(() => undefined);
    expect((await admin.json('GET', '/api/runs')).status).toBe(200);
    const whole = await download(`/api/runs/${id}/items.csv`);
    expect(lines(whole.text)).toHaveLength(30_001);
  });

  it('has only the records of the action and type asked for', async () => {
    const id = logRun([
      buildItem({ action: 'created', type: 'contact', label: 'a' }),
      buildItem({ action: 'failed', type: 'contact', label: 'b' }),
      buildItem({ action: 'failed', type: 'company', label: 'c' }),
      buildItem({ action: 'created', type: 'company', label: 'd' }),
    ]);
    const labels = async (query: string) =>
      lines((await download(`/api/runs/${id}/items.csv${query}`)).text)
        .slice(1)
        .map((row) => row.split(',')[5]);
    expect(await labels('')).toEqual(['a', 'b', 'c', 'd']);
    expect(await labels('?action=failed')).toEqual(['b', 'c']);
    expect(await labels('?type=company')).toEqual(['c', 'd']);
    expect(await labels('?action=failed&type=company')).toEqual(['c']);
    expect(await labels('?action=linked')).toEqual([]);
  });

  it('refuses filters and ids it does not know', async () => {
    const id = logRun([buildItem()]);
    for (const query of ['?action=deleted', '?type=order', '?limit=5']) {
      const response = await admin.fetch(`/api/runs/${id}/items.csv${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    for (const loose of ['0', '01', '1e0', '0x1', '-1']) {
      expect((await admin.fetch(`/api/runs/${loose}/items.csv`)).status, loose).toBe(400);
    }
  });

  it('answers 404 for a run that does not exist', async () => {
    const response = await admin.fetch('/api/runs/999/items.csv');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('needs the session or the API token', async () => {
    const id = logRun([buildItem()]);
    const without = await fetch(`${env.url}/api/runs/${id}/items.csv`);
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const withToken = await fetch(`${env.url}/api/runs/${id}/items.csv`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('Jürgen Müller');
  });
});

describe('GET /api/runs/:id', () => {
  /** Every page of the run's records with this query, following `nextAfter` to the end. */
  async function allPages(id: number, query: string) {
    const pages: RunDetailResponse[] = [];
    let after = 0;
    for (;;) {
      const response = await admin.json('GET', `/api/runs/${id}?${query}&after=${after}`);
      expect(response.status).toBe(200);
      const page = RunDetailResponse.parse(response.body);
      pages.push(page);
      if (page.nextAfter === null) return pages;
      after = page.nextAfter;
    }
  }

  it('finds the records of an action wherever they lie in a large run', async () => {
    const id = logRun(
      Array.from({ length: 5_000 }, (_, n) =>
        buildItem({
          xentralId: String(n + 1),
          action: n >= 4_200 && n % 50 === 0 ? 'skipped' : 'created',
        }),
      ),
    );
    const response = await admin.json('GET', `/api/runs/${id}?limit=100&action=skipped`);
    expect(response.status).toBe(200);
    const page = RunDetailResponse.parse(response.body);
    expect(page.items.map((item) => item.xentralId)).toEqual(
      Array.from({ length: 16 }, (_, n) => String(4_201 + n * 50)),
    );
    expect(page.nextAfter).toBeNull();
    // The run's counts are all of its records, whatever the filter.
    expect(page.run.totals).toMatchObject({ created: 4_984, skipped: 16 });
  });

  it('pages through the filtered records without repeating or missing one', async () => {
    const types = ['contact', 'company', 'user', 'deal'] as const;
    const actions = ['created', 'failed', 'edited'] as const;
    const id = logRun(
      Array.from({ length: 1_000 }, (_, n) =>
        buildItem({
          xentralId: String(n + 1),
          type: types[n % 4]!,
          action: actions[n % 3]!,
        }),
      ),
    );
    logRun([buildItem({ action: 'failed', type: 'company', label: 'another run' })]);
    const cases: [string, (n: number) => boolean][] = [
      ['action=failed', (n) => n % 3 === 1],
      ['type=company', (n) => n % 4 === 1],
      ['action=failed&type=company', (n) => n % 3 === 1 && n % 4 === 1],
      ['action=linked', () => false],
      ['', () => true],
    ];
    for (const [filter, matches] of cases) {
      const pages = await allPages(id, `limit=7&${filter}`);
      const ids = pages.flatMap((page) => page.items.map((item) => item.xentralId));
      const expected = Array.from({ length: 1_000 }, (_, n) => n)
        .filter(matches)
        .map((n) => String(n + 1));
      expect(ids, filter).toEqual(expected);
      expect(
        pages.slice(0, -1).every((page) => page.items.length === 7),
        filter,
      ).toBe(true);
      // The cursor is the last record a page shows.
      for (const page of pages.slice(0, -1)) expect(page.nextAfter).toBe(page.items.at(-1)?.id);
    }
  });

  it('refuses filters it does not know, saying which and what it takes', async () => {
    const id = logRun([buildItem()]);
    for (const [query, field] of [
      ['action=deleted', 'action'],
      ['action=Skipped', 'action'],
      ['type=order', 'type'],
      ['action=', 'action'],
      ['status=failed', 'status'],
    ]) {
      const response = await admin.json<{ error: { code: string; message: string } }>(
        'GET',
        `/api/runs/${id}?${query}`,
      );
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('validation_failed');
      expect(JSON.stringify(response.body.error), query).toContain(field);
    }
    const response = await admin.json<{ error: unknown }>('GET', `/api/runs/${id}?action=deleted`);
    expect(JSON.stringify(response.body.error)).toContain('skipped');
  });

  it('answers 404 for a run that does not exist, also with a filter', async () => {
    const response = await admin.json('GET', '/api/runs/999?action=skipped');
    expect(response.status).toBe(404);
  });
});
