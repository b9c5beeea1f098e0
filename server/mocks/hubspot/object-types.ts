import { HubSpotApiError, errorBody } from './errors';

/** The CRM objects the mock stores. HubSpot accepts plural names, singular names and type ids. */
export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

interface ObjectTypeInfo {
  /** HubSpot's object type id (https://developers.hubspot.com/docs/api/crm/understanding-the-crm). */
  typeId: string;
  /** Used in messages such as "Could not get some CONTACT objects". */
  upperSingular: string;
  singular: string;
  /** The property HubSpot maintains as "last modified" for this object. */
  lastModifiedProperty: string;
  /** Returned when a request names no properties (CRM search guide, "default properties"). */
  defaultProperties: readonly string[];
}

export const OBJECT_TYPE_INFO: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    typeId: '0-1',
    upperSingular: 'CONTACT',
    singular: 'contact',
    // Contacts are the one object whose modification date is `lastmodifieddate`.
    lastModifiedProperty: 'lastmodifieddate',
    defaultProperties: [
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ],
  },
  companies: {
    typeId: '0-2',
    upperSingular: 'COMPANY',
    singular: 'company',
    lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  },
  deals: {
    typeId: '0-3',
    upperSingular: 'DEAL',
    singular: 'deal',
    lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
  },
};

const ALIASES = new Map<string, ObjectType>();
for (const type of OBJECT_TYPES) {
  const info = OBJECT_TYPE_INFO[type];
  ALIASES.set(type, type);
  ALIASES.set(info.singular, type);
  ALIASES.set(info.typeId, type);
}

export function parseObjectType(raw: string): ObjectType | undefined {
  return ALIASES.get(raw.toLowerCase());
}

/** Route parameter → object type, or HubSpot's 400 for an unknown type. */
export function requireObjectType(raw: string): ObjectType {
  const type = parseObjectType(raw);
  if (!type) {
    throw new HubSpotApiError(
      400,
      errorBody('VALIDATION_ERROR', `Unable to infer object type from: ${raw}`),
    );
  }
  return type;
}

/** Properties HubSpot adds to every object response, whatever was requested. */
export function alwaysReturnedProperties(type: ObjectType): readonly string[] {
  return ['createdate', 'hs_object_id', OBJECT_TYPE_INFO[type].lastModifiedProperty];
}
