import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_COUNTS } from '../../../shared/api/runs';
import { createFormatters } from '../i18n/format';
import { resources } from '../i18n/resources';
import { INITIAL_LIVE_STATE, reduceLive, type LiveAction, type LiveRun } from './live-state';
import { overallText, timeLeftText, waitText } from './progress-text';

const translators = {} as Record<'de' | 'en', TFunction>;

beforeAll(async () => {
  for (const language of ['de', 'en'] as const) {
    const instance = i18next.createInstance();
    await instance.init({ resources, lng: language, interpolation: { escapeValue: false } });
    translators[language] = instance.t;
  }
});

const at = (second: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, second)).toISOString();
const atMs = (second: number) => Date.parse(at(second));

const progress = (
  second: number,
  done: number,
  total: number,
  extra: Partial<Extract<LiveAction, { name: 'run.progress' }>['data']> = {},
): LiveAction => ({
  name: 'run.progress',
  data: {
    runId: 3,
    phase: 'writing',
    type: 'contact',
    done,
    total,
    counts: EMPTY_COUNTS,
    overall: { done, total, growing: false },
    at: at(second),
    ...extra,
  },
});

const runOf = (actions: LiveAction[]): LiveRun => {
  const run = actions.reduce(reduceLive, INITIAL_LIVE_STATE).run;
  if (!run) throw new Error('no run');
  return run;
};

const started: LiveAction = {
  name: 'run.started',
  data: { runId: 3, kind: 'export', trigger: 'manual', at: at(0) },
};

describe('the progress texts', () => {
  const de = createFormatters('de');
  const en = createFormatters('en');

  it('count the whole run, and say when its total is still growing', () => {
    const run = runOf([started, progress(1, 40, 200)]);
    expect(overallText(run, translators.en, en)).toBe('40 of 200 records');
    expect(overallText(run, translators.de, de)).toBe('40 von 200 Datensätzen');
    const growing = runOf([
      started,
      progress(1, 1500, 1500, { overall: { done: 1500, total: 1500, growing: true } }),
    ]);
    expect(overallText(growing, translators.en, en)).toBe(
      '1,500 of 1,500 records so far – more are still being found',
    );
    const failed = runOf([
      started,
      progress(1, 40, 200),
      {
        name: 'run.finished',
        data: {
          runId: 3,
          status: 'failed',
          message: null,
          messageCode: null,
          messageParams: {},
          totals: EMPTY_COUNTS,
          at: at(2),
        },
      },
    ]);
    expect(overallText(failed, translators.de, de)).toBe('Abgebrochen bei 40 von 200 Datensätzen');
  });

  it('name the limit that decides the time left, in both languages', () => {
    const requests = (sent: number) => [
      { system: 'xentral' as const, sent, limit: 98, windowMs: 60_000 },
    ];
    const run = runOf([
      started,
      progress(0, 0, 490, { requests: requests(0) }),
      progress(1, 98, 490, { requests: requests(98) }),
    ]);
    expect(timeLeftText(run, atMs(1), translators.en, en)).toBe(
      `about ${en.duration(239_000)} – Xentral allows 98 requests per minute`,
    );
    expect(timeLeftText(run, atMs(1), translators.de, de)).toBe(
      `ca. ${de.duration(239_000)} – Xentral erlaubt 98 Anfragen pro Minute`,
    );
    // Two seconds on, without news, the text has moved on too.
    expect(timeLeftText(run, atMs(3), translators.en, en)).not.toBe(
      timeLeftText(run, atMs(1), translators.en, en),
    );
    expect(timeLeftText(runOf([started]), atMs(1), translators.de, de)).toBe('unbekannt');
  });

  it('say why nothing moves: a rate limit, a retry after a 503, no answer', () => {
    const wait = (reason: 'rate_limit' | 'retry', status: number | null) => ({
      system: 'xentral' as const,
      reason,
      status,
      untilMs: atMs(30),
    });
    expect(waitText(wait('rate_limit', null), atMs(0), translators.en, en)).toBe(
      `Waiting for the request limit of Xentral: continuing in ${en.duration(30_000)}.`,
    );
    expect(waitText(wait('retry', 503), atMs(25), translators.de, de)).toBe(
      `Xentral antwortete mit 503: neuer Versuch in ${de.duration(5_000)}.`,
    );
    expect(
      waitText({ ...wait('retry', null), system: 'hubspot' }, atMs(25), translators.en, en),
    ).toBe(`HubSpot did not answer: trying again in ${en.duration(5_000)}.`);
  });

  it('tell a run that found nothing how far back the next run reads again', () => {
    expect(translators.en('action.nothingFound', { seconds: '120' })).toBe(
      'Nothing had changed. Changes from the last 120 seconds are read again by the next run.',
    );
    expect(translators.de('action.held', { count: 1 })).toMatch(/^1 Datensatz wird/);
  });
});
