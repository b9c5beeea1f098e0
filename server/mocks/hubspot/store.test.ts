import { describe, expect, it } from 'vitest';
import { associationType } from './association-types';
import { associate, archiveRecord, createRecord } from './crm';
import { HubSpotStore } from './store';

function world() {
  const store = new HubSpotStore(() => new Date('2026-01-01T00:00:00Z'));
  const portal = store.createPortal({ hubId: 1, name: 'P', domain: 'p.example' });
  return { store, portal };
}

describe('ObjectTable', () => {
  it('indexes e-mails case-insensitively and frees them on archive', () => {
    const { store, portal } = world();
    const contacts = portal.tables.contacts;
    const record = createRecord(store, portal, 'contacts', new Map([['email', 'a@example.com']]));
    expect(contacts.findByUnique('email', 'A@EXAMPLE.COM')?.id).toBe(record.id);
    contacts.write(record, new Map([['email', 'b@example.com']]));
    expect(contacts.findByUnique('email', 'a@example.com')).toBeUndefined();
    expect(contacts.findByUnique('email', 'b@example.com')?.id).toBe(record.id);
    archiveRecord(store, portal, record);
    expect(contacts.findByUnique('email', 'b@example.com')).toBeUndefined();
  });

  it('finds positions by id with a binary search', () => {
    const { store, portal } = world();
    const ids = Array.from({ length: 5 }, () =>
      Number(createRecord(store, portal, 'companies', new Map()).id),
    );
    const table = portal.tables.companies;
    expect(table.positionOf(0)).toBe(0);
    expect(table.positionOf(ids[2] ?? 0)).toBe(2);
    expect(table.positionOf((ids[4] ?? 0) + 1)).toBe(5);
  });

  it('gives ids that are unique across object types', () => {
    const { store, portal } = world();
    const contact = createRecord(store, portal, 'contacts', new Map());
    const company = createRecord(store, portal, 'companies', new Map());
    expect(contact.id).not.toBe(company.id);
  });
});

describe('AssociationStore', () => {
  it('stores both directions and removes both', () => {
    const { store, portal } = world();
    const deal = createRecord(store, portal, 'deals', new Map());
    const contact = createRecord(store, portal, 'contacts', new Map());
    const type = associationType(3);
    if (!type) throw new Error('type 3 missing');
    associate(portal, type, deal.id, contact.id);
    expect(portal.associations.list('contacts', contact.id, 'deals')).toEqual([
      { toId: deal.id, typeIds: [4] },
    ]);
    portal.associations.remove('contacts', contact.id, 'deals', deal.id);
    expect(portal.associations.list('deals', deal.id, 'contacts')).toEqual([]);
  });

  it('drops the associations of an archived record', () => {
    const { store, portal } = world();
    const deal = createRecord(store, portal, 'deals', new Map());
    const company = createRecord(store, portal, 'companies', new Map());
    const primary = associationType(5);
    if (!primary) throw new Error('type 5 missing');
    associate(portal, primary, deal.id, company.id);
    expect(portal.associations.list('companies', company.id, 'deals')).toEqual([
      { toId: deal.id, typeIds: [6, 342] },
    ]);
    archiveRecord(store, portal, deal);
    expect(portal.associations.list('companies', company.id, 'deals')).toEqual([]);
    expect(portal.associations.size).toBe(0);
  });
});
