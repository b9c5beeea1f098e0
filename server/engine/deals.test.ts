import { describe, expect, it } from 'vitest';
import { dealDraft } from './deals';
import type { XentralOrderRecord } from './model';

const order: XentralOrderRecord = {
  id: '17',
  updatedAt: '2026-04-02T10:00:00.000Z',
  status: 'released',
  number: '200017',
  date: '2026-04-01',
  customerId: '5',
  currency: 'EUR',
  gross: '0.30',
  net: '0.25',
};
const pipeline = { pipelineId: 'default', stageId: 'closedwon' };

describe('dealDraft', () => {
  it('keeps the amount as the exact decimal string and names the deal after order and buyer', () => {
    expect(dealDraft(order, 'Acme GmbH', pipeline, '9001')).toEqual({
      ok: true,
      deal: {
        orderId: '17',
        name: '200017 – Acme GmbH',
        amount: '0.30',
        currency: 'EUR',
        closeDate: '2026-04-01T00:00:00.000Z',
        pipelineId: 'default',
        stageId: 'closedwon',
        ownerId: '9001',
      },
    });
  });

  it('accepts large, zero and negative totals and other currencies', () => {
    for (const gross of ['123456789012.99', '0', '-15.50', '1.123456']) {
      const draft = dealDraft({ ...order, gross, currency: 'chf' }, 'X', pipeline, '');
      expect(draft).toMatchObject({ ok: true, deal: { amount: gross, currency: 'CHF' } });
    }
  });

  it('refuses totals and currencies that are not what they claim, with the reason', () => {
    expect(dealDraft({ ...order, gross: '1,50' }, 'X', pipeline, '')).toMatchObject({
      ok: false,
      reason: 'amount_invalid',
    });
    expect(dealDraft({ ...order, gross: '' }, 'X', pipeline, '')).toMatchObject({ ok: false });
    expect(dealDraft({ ...order, currency: 'Euro' }, 'X', pipeline, '')).toMatchObject({
      ok: false,
      reason: 'currency_invalid',
    });
  });

  it('falls back to the change date without a document date, and to the id without a number', () => {
    const draft = dealDraft({ ...order, date: '', number: '' }, '', pipeline, '');
    expect(draft).toMatchObject({
      ok: true,
      deal: { closeDate: '2026-04-02T00:00:00.000Z', name: '17 – #5' },
    });
  });
});
