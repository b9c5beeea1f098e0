import { describe, expect, it } from 'vitest';
import { isEmptyPlan } from './plan';
import {
  buildHubSpotCompany,
  buildHubSpotContact,
  buildHubSpotOwner,
  buildXentralCustomer,
  buildXentralEmployee,
  ownerLinks,
} from './test-builders';
import { FakeWorld } from './test-world';

const anna = buildXentralCustomer({
  id: '1',
  type: 'mrs',
  name: 'Anna Maria Müller',
  email: 'Anna.Mueller@Example.com',
  phone: '+49 821 1234',
  city: 'Augsburg',
  country: 'DE',
});

const annaInHubSpot = buildHubSpotContact({
  id: '101',
  email: ' anna.mueller@example.com ',
  firstName: 'Anna Maria',
  lastName: 'Müller',
  lifecycleStage: 'customer',
});

describe('rule 1: an unlinked source without a match is created on the target', () => {
  it('exports a Xentral customer as a HubSpot contact with every non-empty field', () => {
    const world = new FakeWorld('contact', { xentral: [anna] }, { mode: 'export' });
    const plan = world.run();
    expect(plan.creates).toHaveLength(1);
    const [create] = plan.creates;
    expect(create).toMatchObject({
      target: 'hubspot',
      sourceId: '1',
      patch: {
        xentralId: '1',
        email: 'Anna.Mueller@Example.com',
        firstName: 'Anna Maria',
        lastName: 'Müller',
        salutation: 'Mrs',
        phone: '+49 821 1234',
        city: 'Augsburg',
        country: 'Germany',
      },
    });
    expect(create?.exchanged.sort()).toEqual(
      ['city', 'country', 'email', 'name', 'phone', 'salutation'].sort(),
    );
    expect(world.links).toEqual([
      expect.objectContaining({ xentralId: '1', matchedBy: 'created' }),
    ]);
  });

  it("imports a HubSpot contact with Xentral's required defaults and the project from Settings", () => {
    const contact = buildHubSpotContact({
      id: '101',
      email: 'jan@example.com',
      firstName: 'Jan',
      lastName: 'Berg',
      salutation: 'Herr',
    });
    const world = new FakeWorld(
      'contact',
      { hubspot: [contact] },
      { mode: 'import', projectId: '7' },
    );
    const plan = world.run();
    expect(plan.creates[0]).toMatchObject({
      target: 'xentral',
      patch: {
        type: 'mr',
        name: 'Jan Berg',
        email: 'jan@example.com',
        street: '',
        zip: '',
        city: '',
        country: 'DE',
        projectId: '7',
      },
    });
    // The default country is settled too, so a sync never pushes it back as if it were data.
    expect(plan.creates[0]?.exchanged.sort()).toEqual(['country', 'email', 'name', 'salutation']);
  });

  it('uses the default salutation for an unknown one, and the default country for one that names no country, saying so', () => {
    const contact = buildHubSpotContact({
      email: 'dr@example.com',
      salutation: 'Dr.',
      country: 'Narnia',
    });
    const world = new FakeWorld(
      'contact',
      { hubspot: [contact] },
      { mode: 'import', defaultSalutation: 'mrs', defaultCountry: 'AT' },
    );
    const [create] = world.run().creates;
    expect(create?.patch).toMatchObject({ type: 'mrs', country: 'AT' });
    expect(create?.changes).toContainEqual({ field: 'country', before: '', after: 'AT' });
    expect(create?.note).toMatchObject({
      reason: 'default_country',
      params: { value: 'Narnia', country: 'AT' },
    });
    // The default stands in for Narnia: not exchanged, so a correction in HubSpot still counts.
    expect(create?.exchanged).not.toContain('country');
    expect(isEmptyPlan(world.plan())).toBe(true);
    world.edit('hubspot', contact.id, { country: 'Deutschland' });
    expect(world.plan().conflicts).toEqual([
      expect.objectContaining({ field: 'country', xentralValue: 'AT', hubspotValue: 'DE' }),
    ]);
  });

  it('leaves a Xentral country code that names no country out of HubSpot, saying so', () => {
    const world = new FakeWorld(
      'contact',
      { xentral: [buildXentralCustomer({ email: 'xx@example.com', country: 'XX' })] },
      { mode: 'export' },
    );
    const [create] = world.run().creates;
    expect(create?.patch).not.toHaveProperty('country');
    expect(create?.note).toMatchObject({ reason: 'unknown_country', params: { value: 'XX' } });
    expect(isEmptyPlan(world.plan())).toBe(true);
  });
});

describe('rule 2: matching', () => {
  it('links on the e-mail (trimmed, case-folded) and then fills both empty sides in sync', () => {
    const hubspot = { ...annaInHubSpot, mobile: '+49 170 555', jobTitle: 'Einkauf' };
    const world = new FakeWorld('contact', { xentral: [anna], hubspot: [hubspot] });
    const plan = world.run();
    expect(plan.creates).toEqual([]);
    expect(plan.links).toEqual([
      { xentralId: '1', hubspotId: '101', matchedBy: 'email', label: 'Anna Maria Müller' },
    ]);
    const toHubSpot = plan.writes.find((w) => w.target === 'hubspot');
    const toXentral = plan.writes.find((w) => w.target === 'xentral');
    expect(toHubSpot?.patch).toEqual({
      salutation: 'Mrs',
      phone: '+49 821 1234',
      city: 'Augsburg',
      country: 'Germany',
    });
    expect(toXentral?.patch).toEqual({ mobile: '+49 170 555', department: 'Einkauf' });
    // equal after normalisation: marked exchanged without a write
    expect(plan.marks.map((m) => m.fields)).toEqual([['email', 'name']]);
  });

  it('raises one ambiguous-match conflict and neither links nor creates', () => {
    const twin = buildXentralCustomer({ ...anna, id: '2', name: 'Anna Müller' });
    const world = new FakeWorld('contact', { xentral: [anna, twin], hubspot: [annaInHubSpot] });
    const plan = world.run();
    expect(plan.links).toEqual([]);
    expect(plan.creates).toEqual([]);
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        kind: 'ambiguous',
        matchKey: 'anna.mueller@example.com',
        xentralIds: ['1', '2'],
        hubspotIds: ['101'],
      }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('does not treat a record linked to another as a match', () => {
    const world = new FakeWorld(
      'contact',
      { xentral: [anna], hubspot: [annaInHubSpot] },
      { mode: 'export' },
    );
    world.run();
    const newcomer = buildXentralCustomer({
      id: '3',
      type: 'mr',
      email: 'anna.mueller@example.com',
    });
    world.xentral.set('3', newcomer);
    const plan = world.run();
    expect(plan.links).toEqual([]);
    // Its only match is linked to another customer: a possible duplicate, not created across.
    expect(plan.creates).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        system: 'xentral',
        id: '3',
        reason: 'possible_duplicate',
        params: expect.objectContaining({
          case: 'taken',
          system: 'HubSpot',
          id: '101',
          label: 'Anna Maria Müller',
        }),
      }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('does not import a HubSpot contact whose only match is a Xentral customer linked elsewhere', () => {
    const world = new FakeWorld('contact', {
      xentral: [buildXentralCustomer({ id: '1', name: 'Ada', email: 'a@example.com' })],
      hubspot: [buildHubSpotContact({ id: '101', email: 'b@example.com' })],
    });
    world.links.push({
      id: 1,
      type: 'contact',
      xentralId: '1',
      hubspotId: '101',
      matchedBy: 'email',
    });
    world.hubspot.set('102', buildHubSpotContact({ id: '102', email: 'a@example.com' }));
    const plan = world.run();
    expect(plan.creates).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        system: 'hubspot',
        id: '102',
        reason: 'possible_duplicate',
        params: expect.objectContaining({
          case: 'taken',
          system: 'Xentral',
          id: '1',
          label: 'Ada',
        }),
      }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('exports only the first of two Xentral customers sharing a new e-mail, and says so once', () => {
    const first = buildXentralCustomer({ id: '4', email: 'same@example.com' });
    const second = buildXentralCustomer({ id: '5', email: 'SAME@example.com' });
    const world = new FakeWorld('contact', { xentral: [second, first] }, { mode: 'export' });
    const plan = world.run();
    expect(plan.creates.map((c) => c.sourceId)).toEqual(['4']);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        id: '5',
        reason: 'possible_duplicate',
        params: expect.objectContaining({ case: 'twin', system: 'Xentral', id: '4' }),
      }),
    ]);
    // The next run finds the twin's HubSpot contact linked: the same reason, not said again.
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('re-finds a HubSpot record created from a Xentral record by its xentral_id', () => {
    const lost = buildHubSpotContact({ id: '150', email: 'changed@example.com', xentralId: '1' });
    const world = new FakeWorld(
      'contact',
      { xentral: [anna], hubspot: [lost] },
      { mode: 'export' },
    );
    // different e-mails, same xentral_id: still the same record, so no second create
    const plan = world.plan();
    expect(plan.creates).toEqual([]);
  });
});

describe('rule 7: possible duplicates are not created across', () => {
  const linkedPair = () => {
    const world = new FakeWorld('company', {
      xentral: [
        buildXentralCustomer({
          id: '20',
          type: 'company',
          name: 'Nordwerk GmbH',
          website: 'nordwerk.de',
        }),
      ],
      hubspot: [
        buildHubSpotCompany({ id: '201', name: 'NORDWERK GMBH', domain: 'www.nordwerk.de' }),
      ],
    });
    world.run();
    expect(world.links).toHaveLength(1);
    return world;
  };

  it('a second Xentral company with a linked company’s name and domain', () => {
    const world = linkedPair();
    world.xentral.set(
      '21',
      buildXentralCustomer({
        id: '21',
        type: 'company',
        name: 'Nordwerk GmbH.',
        website: 'https://nordwerk.de',
      }),
    );
    const plan = world.run();
    expect(plan.creates).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        system: 'xentral',
        id: '21',
        reason: 'possible_duplicate',
        params: expect.objectContaining({
          case: 'taken',
          match: 'name_domain',
          system: 'HubSpot',
          id: '201',
          label: 'NORDWERK GMBH',
        }),
      }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('a second HubSpot company with a linked company’s name and domain', () => {
    const world = linkedPair();
    world.hubspot.set(
      '202',
      buildHubSpotCompany({ id: '202', name: 'Nordwerk GmbH', domain: 'nordwerk.de' }),
    );
    const plan = world.run();
    expect(plan.creates).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        system: 'hubspot',
        id: '202',
        reason: 'possible_duplicate',
        params: expect.objectContaining({ case: 'taken', system: 'Xentral', id: '20' }),
      }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('but a company of that name with another domain is another company', () => {
    const world = linkedPair();
    world.hubspot.set(
      '203',
      buildHubSpotCompany({ id: '203', name: 'Nordwerk GmbH', domain: 'nordwerk.at' }),
    );
    expect(world.run().creates).toEqual([
      expect.objectContaining({ target: 'xentral', sourceId: '203' }),
    ]);
  });

  it('two new companies of one name and domain on one side: one is created, the other named', () => {
    const world = new FakeWorld('company', {
      hubspot: [
        buildHubSpotCompany({ id: '301', name: 'Südhaus AG', domain: 'suedhaus.de' }),
        buildHubSpotCompany({ id: '302', name: 'SÜDHAUS AG', domain: 'suedhaus.de' }),
      ],
    });
    const plan = world.run();
    expect(plan.creates.map((c) => c.sourceId)).toEqual(['301']);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        id: '302',
        reason: 'possible_duplicate',
        params: expect.objectContaining({ case: 'twin', system: 'HubSpot', id: '301' }),
      }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });
});

describe('rule 9: a country that names no country', () => {
  const pairWith = (hubspotCountry: string, xentralCountry: string, mode: 'sync' | 'import') => {
    const world = new FakeWorld(
      'contact',
      {
        xentral: [
          buildXentralCustomer({ id: '1', email: 'n@example.com', country: xentralCountry }),
        ],
        hubspot: [
          buildHubSpotContact({
            id: '101',
            email: 'n@example.com',
            phone: '+49 1',
            country: hubspotCountry,
          }),
        ],
      },
      { mode },
    );
    return world;
  };

  it('never replaces a value on an existing record: that field is skipped, the others go on', () => {
    for (const xentralCountry of ['DE', '']) {
      const world = pairWith('Narnia', xentralCountry, 'import');
      const plan = world.run();
      expect(plan.writes).toEqual([
        expect.objectContaining({ target: 'xentral', patch: { phone: '+49 1' } }),
      ]);
      expect(plan.conflicts).toEqual([]);
      expect(plan.skips).toEqual([
        expect.objectContaining({
          system: 'hubspot',
          id: '101',
          reason: 'unknown_country',
          params: { field: 'country', value: 'Narnia' },
        }),
      ]);
      expect(world.exchanged.get(1)).not.toContain('country');
      expect(isEmptyPlan(world.plan())).toBe(true);
      // Corrected in HubSpot, the value is exchanged like any other.
      world.edit('hubspot', '101', { country: 'Österreich' });
      const corrected = world.plan();
      if (xentralCountry === '') {
        expect(corrected.writes).toEqual([
          expect.objectContaining({ target: 'xentral', patch: { country: 'AT' } }),
        ]);
      } else {
        expect(corrected.conflicts).toEqual([
          expect.objectContaining({ field: 'country', xentralValue: 'DE', hubspotValue: 'AT' }),
        ]);
      }
    }
  });

  it('says nothing when a known value would not go anywhere either', () => {
    // Xentral empty and an export: nothing flows into Xentral, HubSpot keeps its own value.
    const world = new FakeWorld(
      'contact',
      {
        xentral: [buildXentralCustomer({ id: '1', email: 'n@example.com' })],
        hubspot: [buildHubSpotContact({ id: '101', email: 'n@example.com', country: 'Narnia' })],
      },
      { mode: 'export' },
    );
    expect(world.run().skips).toEqual([]);
  });

  it('reports two reasons of one record together, once', () => {
    const world = pairWith('Narnia', 'DE', 'sync');
    world.settings = { ...world.settings, lifecycleStages: ['lead'] };
    const plan = world.run();
    expect(plan.skips.map((skip) => skip.reason).sort()).toEqual([
      'lifecycle_stage_not_selected',
      'unknown_country',
    ]);
    expect(new Set(plan.skips.map((skip) => skip.signature)).size).toBe(1);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });
});

describe('rule 3: a linked pair, field not yet exchanged', () => {
  const linkedWorld = (mode: 'sync' | 'import' | 'export', hubspotPatch = {}) => {
    const world = new FakeWorld(
      'contact',
      { xentral: [anna], hubspot: [{ ...annaInHubSpot, ...hubspotPatch }] },
      { mode },
    );
    world.links.push({
      id: 1,
      type: 'contact',
      xentralId: '1',
      hubspotId: '101',
      matchedBy: 'email',
    });
    return world;
  };

  it('writes only into the empty side and counts the target once', () => {
    const plan = linkedWorld('export').run();
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ target: 'hubspot', targetId: '101' });
    expect(plan.writes[0]?.changes.map((c) => c.field).sort()).toEqual([
      'city',
      'country',
      'phone',
      'salutation',
    ]);
  });

  it('marks equal values (after normalisation) exchanged without writing', () => {
    const world = linkedWorld('sync', {
      phone: '+49-821-1234',
      city: ' augsburg ',
      country: 'Deutschland',
      salutation: 'Frau',
    });
    const plan = world.run();
    expect(plan.writes).toEqual([]);
    expect(plan.marks[0]?.fields.sort()).toEqual(
      ['city', 'country', 'email', 'name', 'phone', 'salutation'].sort(),
    );
  });

  it('raises a conflict for different values, writes nothing, and does not raise it twice', () => {
    const world = linkedWorld('sync', { phone: '+49 89 999' });
    const plan = world.run();
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        kind: 'field',
        field: 'phone',
        xentralValue: '+49 821 1234',
        hubspotValue: '+49 89 999',
      }),
    ]);
    expect(plan.writes.flatMap((w) => w.changes.map((c) => c.field))).not.toContain('phone');
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('does nothing yet when only the target has a value and the mode does not write back', () => {
    const world = linkedWorld('export', { mobile: '+49 170 1' });
    const plan = world.run();
    expect(plan.writes.filter((w) => w.target === 'xentral')).toEqual([]);
    expect(plan.marks[0]?.fields).not.toContain('mobile');
  });
});

describe('rules 4 and 5: exchanged fields and deleted records are left alone', () => {
  const exchangedWorld = () => {
    const world = new FakeWorld('contact', { xentral: [anna] }, { mode: 'sync' });
    world.run();
    const link = world.links[0]!;
    return { world, hubspotId: link.hubspotId };
  };

  it('does not re-add a value deleted on one side', () => {
    const { world, hubspotId } = exchangedWorld();
    world.edit('hubspot', hubspotId, { phone: '' });
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('does not propagate nor revert a modified value in sync mode', () => {
    const { world, hubspotId } = exchangedWorld();
    world.edit('hubspot', hubspotId, { city: 'München' });
    world.edit('xentral', '1', { phone: '+49 1 2' });
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('does not re-create a linked record deleted in one system, nor delete the other', () => {
    const { world, hubspotId } = exchangedWorld();
    world.remove('hubspot', hubspotId);
    expect(isEmptyPlan(world.plan())).toBe(true);
    world.remove('xentral', '1');
    expect(isEmptyPlan(world.plan())).toBe(true);
  });
});

describe('rule 6: a second run over an unchanged world does nothing', () => {
  for (const mode of ['sync', 'import', 'export'] as const) {
    it(`in ${mode} mode`, () => {
      const world = new FakeWorld(
        'contact',
        {
          xentral: [
            anna,
            buildXentralCustomer({ id: '2', email: 'x2@example.com', name: 'X Two', city: 'Wien' }),
            buildXentralCustomer({ id: '3', name: 'No Mail' }),
          ],
          hubspot: [
            { ...annaInHubSpot, phone: '+49 1 1' },
            buildHubSpotContact({ id: '102', email: 'h2@example.com', firstName: 'H' }),
            buildHubSpotContact({ id: '103', firstName: 'No', lastName: 'Mail' }),
          ],
        },
        { mode },
      );
      const first = world.run();
      expect(isEmptyPlan(first)).toBe(false);
      expect(isEmptyPlan(world.plan())).toBe(true);
    });
  }
});

describe('skips, lifecycle stages and projects', () => {
  it('skips contacts without e-mail once, with the reason, and again after a change', () => {
    const world = new FakeWorld('contact', {
      xentral: [buildXentralCustomer({ id: '9', name: 'Nomail' })],
      hubspot: [buildHubSpotContact({ id: '109', firstName: 'No' })],
    });
    const plan = world.run();
    expect(plan.skips.map((s) => [s.system, s.id, s.reason])).toEqual([
      ['xentral', '9', 'no_email'],
      ['hubspot', '109', 'no_email'],
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
    world.edit('xentral', '9', { city: 'Berlin' });
    expect(world.plan().skips).toHaveLength(1);
  });

  it('skips companies without a name', () => {
    const world = new FakeWorld('company', {
      xentral: [buildXentralCustomer({ id: '8', type: 'company', website: 'acme.com' })],
    });
    expect(world.plan().skips).toEqual([expect.objectContaining({ id: '8', reason: 'no_name' })]);
  });

  it('imports only the selected lifecycle stages, and nothing when none is selected', () => {
    const lead = buildHubSpotContact({ id: '1', email: 'l@example.com', lifecycleStage: 'lead' });
    const other = buildHubSpotContact({ id: '2', email: 'o@example.com', lifecycleStage: 'other' });
    const selected = new FakeWorld(
      'contact',
      { hubspot: [lead, other] },
      {
        mode: 'import',
        lifecycleStages: ['lead'],
      },
    );
    const plan = selected.plan();
    expect(plan.creates.map((c) => c.sourceId)).toEqual(['1']);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        system: 'hubspot',
        id: '2',
        reason: 'lifecycle_stage_not_selected',
        params: { stage: 'other' },
      }),
    ]);
    const none = new FakeWorld(
      'contact',
      { hubspot: [lead, other] },
      {
        mode: 'import',
        lifecycleStages: [],
      },
    );
    const nothing = none.run();
    expect(nothing.creates).toEqual([]);
    expect(nothing.skips.map((skip) => [skip.id, skip.reason])).toEqual([
      ['1', 'lifecycle_stage_not_selected'],
      ['2', 'lifecycle_stage_not_selected'],
    ]);
    expect(isEmptyPlan(none.plan())).toBe(true);
  });

  it('says why a HubSpot record held back by its stage is not exchanged, in import and sync only', () => {
    const records = [
      buildHubSpotContact({ id: '1', email: 'sub@example.com', lifecycleStage: 'subscriber' }),
      buildHubSpotContact({ id: '2', lifecycleStage: 'subscriber' }),
      buildHubSpotContact({ id: '3', email: 'none@example.com', lifecycleStage: '' }),
    ];
    for (const mode of ['import', 'sync'] as const) {
      const world = new FakeWorld('contact', { hubspot: records }, { mode });
      expect(world.run().skips.map((skip) => [skip.id, skip.reason, skip.params])).toEqual([
        ['3', 'lifecycle_stage_not_selected', { stage: '' }],
        ['1', 'lifecycle_stage_not_selected', { stage: 'subscriber' }],
        ['2', 'lifecycle_stage_not_selected', { stage: 'subscriber' }],
      ]);
      expect(isEmptyPlan(world.plan())).toBe(true);
    }
    // An export does not import at all: HubSpot records are only candidates there.
    expect(
      isEmptyPlan(new FakeWorld('contact', { hubspot: records }, { mode: 'export' }).plan()),
    ).toBe(true);
  });

  it('says why the values of a linked HubSpot record held back by its stage stay out of Xentral', () => {
    const world = new FakeWorld(
      'contact',
      {
        xentral: [buildXentralCustomer({ id: '1', email: 'l@example.com' })],
        hubspot: [
          buildHubSpotContact({ id: '101', email: 'l@example.com', lifecycleStage: 'lead' }),
        ],
      },
      { mode: 'import', lifecycleStages: ['lead'] },
    );
    world.run();
    world.edit('hubspot', '101', { lifecycleStage: 'subscriber' });
    expect(world.run().skips).toEqual([]);
    world.edit('hubspot', '101', { city: 'Kiel' });
    const plan = world.run();
    expect(plan.writes).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({ id: '101', reason: 'lifecycle_stage_not_selected' }),
    ]);
    expect(isEmptyPlan(world.plan())).toBe(true);
  });

  it('never changes the project of an existing Xentral record', () => {
    const world = new FakeWorld(
      'contact',
      { xentral: [anna], hubspot: [annaInHubSpot] },
      {
        mode: 'import',
        projectId: '7',
      },
    );
    const plan = world.run();
    expect(plan.writes.every((w) => !('projectId' in w.patch))).toBe(true);
  });
});

describe('owner ↔ Back office', () => {
  it('maps a HubSpot owner to the linked employee and back', () => {
    const world = new FakeWorld(
      'contact',
      {
        xentral: [{ ...anna, accountManagerId: '' }],
        hubspot: [{ ...annaInHubSpot, ownerId: '9001' }],
      },
      { mode: 'import' },
    );
    world.owners = ownerLinks([['500', '9001']]);
    const plan = world.run();
    expect(plan.writes[0]?.patch).toMatchObject({ accountManagerId: '500' });

    const exportWorld = new FakeWorld(
      'contact',
      { xentral: [{ ...anna, accountManagerId: '500' }] },
      {
        mode: 'export',
      },
    );
    exportWorld.owners = ownerLinks([['500', '9001']]);
    expect(exportWorld.plan().creates[0]?.patch).toMatchObject({ ownerId: '9001' });
  });

  it('leaves the owner alone while the user is not linked', () => {
    const world = new FakeWorld(
      'contact',
      { xentral: [{ ...anna, accountManagerId: '501' }] },
      {
        mode: 'export',
      },
    );
    const [create] = world.plan().creates;
    expect(create?.patch).not.toHaveProperty('ownerId');
    expect(create?.exchanged).not.toContain('owner');
  });
});

describe('companies', () => {
  const acme = buildXentralCustomer({
    id: '20',
    type: 'company',
    name: 'ACME GmbH',
    website: 'https://www.acme.com/',
  });

  it('match on name and domain', () => {
    const world = new FakeWorld('company', {
      xentral: [acme],
      hubspot: [
        buildHubSpotCompany({ id: '201', name: 'Acme GmbH', domain: 'acme.com' }),
        buildHubSpotCompany({ id: '202', name: 'Acme GmbH', domain: 'acme.de' }),
      ],
    });
    const plan = world.run();
    expect(plan.links).toMatchObject([
      { xentralId: '20', hubspotId: '201', matchedBy: 'name_domain' },
    ]);
    // the other "Acme GmbH" has a different domain: a different company, imported as such
    expect(plan.creates).toEqual([expect.objectContaining({ target: 'xentral', sourceId: '202' })]);
  });

  it('match on the name alone when one side has no domain and there is one candidate', () => {
    const world = new FakeWorld('company', {
      xentral: [acme],
      hubspot: [buildHubSpotCompany({ id: '203', name: 'acme gmbh' })],
    });
    const plan = world.run();
    expect(plan.links).toMatchObject([{ xentralId: '20', hubspotId: '203', matchedBy: 'name' }]);
    expect(plan.writes[0]).toMatchObject({ target: 'hubspot', patch: { domain: 'acme.com' } });
  });

  it('are ambiguous when the name alone fits several', () => {
    const world = new FakeWorld('company', {
      xentral: [{ ...acme, website: '' }],
      hubspot: [
        buildHubSpotCompany({ id: '204', name: 'Acme GmbH', domain: 'a.com' }),
        buildHubSpotCompany({ id: '205', name: 'Acme GmbH', domain: 'b.com' }),
      ],
    });
    const plan = world.run();
    expect(plan.links).toEqual([]);
    expect(plan.conflicts).toEqual([expect.objectContaining({ kind: 'ambiguous' })]);
  });
});

describe('HubSpot users', () => {
  const owner = buildHubSpotOwner({
    id: '9001',
    email: 'max@example.com',
    firstName: 'Max',
    lastName: 'Meier',
  });

  it('are imported as employees, matched by e-mail first', () => {
    const existing = buildXentralEmployee({
      id: '500',
      email: 'MAX@example.com',
      name: 'Max Meier',
    });
    const world = new FakeWorld(
      'user',
      {
        xentral: [existing],
        hubspot: [
          owner,
          buildHubSpotOwner({ id: '9002', email: 'eva@example.com', firstName: 'Eva' }),
        ],
      },
      { mode: 'import', lifecycleStages: [], projectId: '3' },
    );
    const plan = world.run();
    expect(plan.links).toMatchObject([{ xentralId: '500', hubspotId: '9001', matchedBy: 'email' }]);
    expect(plan.creates).toEqual([
      expect.objectContaining({
        target: 'xentral',
        sourceId: '9002',
        patch: { type: 'mr', name: 'Eva', email: 'eva@example.com', projectId: '3' },
      }),
    ]);
  });

  it('are linked but never created or written in export mode', () => {
    const world = new FakeWorld(
      'user',
      {
        xentral: [buildXentralEmployee({ id: '500', email: 'max@example.com' })],
        hubspot: [owner, buildHubSpotOwner({ id: '9003', email: 'new@example.com' })],
      },
      { mode: 'export' },
    );
    const plan = world.run();
    expect(plan.links).toHaveLength(1);
    expect(plan.creates).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  it('skip inactive owners', () => {
    const world = new FakeWorld(
      'user',
      { hubspot: [{ ...owner, active: false }] },
      { mode: 'import' },
    );
    expect(isEmptyPlan(world.plan())).toBe(true);
  });
});
