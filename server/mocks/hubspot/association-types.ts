import type { ObjectType } from './object-types';

/**
 * HubSpot-defined association types between the objects the mock stores. The ids are HubSpot's
 * own (the SDK's `AssociationTypes` enum and the associations v4 guide): unlabeled types are
 * what "associate default" creates; "Primary" types are labels on top of them.
 */
export interface AssociationType {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  /** The type the same pair has seen from the other side. */
  inverseTypeId: number;
  /** v4 reads show `label: null` for unlabeled types. */
  label: string | null;
  /** v3 object reads name association types like `contact_to_company`. */
  v3Name: string;
  /** The unlabeled type every labeled association implies. */
  isDefault: boolean;
}

export const ASSOCIATION_CATEGORY = 'HUBSPOT_DEFINED';

export const ASSOCIATION_TYPES: readonly AssociationType[] = [
  {
    from: 'contacts',
    to: 'companies',
    typeId: 279,
    inverseTypeId: 280,
    label: null,
    v3Name: 'contact_to_company_unlabeled',
    isDefault: true,
  },
  {
    from: 'contacts',
    to: 'companies',
    typeId: 1,
    inverseTypeId: 2,
    label: 'Primary',
    v3Name: 'contact_to_company',
    isDefault: false,
  },
  {
    from: 'companies',
    to: 'contacts',
    typeId: 280,
    inverseTypeId: 279,
    label: null,
    v3Name: 'company_to_contact_unlabeled',
    isDefault: true,
  },
  {
    from: 'companies',
    to: 'contacts',
    typeId: 2,
    inverseTypeId: 1,
    label: 'Primary',
    v3Name: 'company_to_contact',
    isDefault: false,
  },
  {
    from: 'deals',
    to: 'contacts',
    typeId: 3,
    inverseTypeId: 4,
    label: null,
    v3Name: 'deal_to_contact',
    isDefault: true,
  },
  {
    from: 'contacts',
    to: 'deals',
    typeId: 4,
    inverseTypeId: 3,
    label: null,
    v3Name: 'contact_to_deal',
    isDefault: true,
  },
  {
    from: 'deals',
    to: 'companies',
    typeId: 341,
    inverseTypeId: 342,
    label: null,
    v3Name: 'deal_to_company_unlabeled',
    isDefault: true,
  },
  {
    from: 'deals',
    to: 'companies',
    typeId: 5,
    inverseTypeId: 6,
    label: 'Primary',
    v3Name: 'deal_to_company',
    isDefault: false,
  },
  {
    from: 'companies',
    to: 'deals',
    typeId: 342,
    inverseTypeId: 341,
    label: null,
    v3Name: 'company_to_deal_unlabeled',
    isDefault: true,
  },
  {
    from: 'companies',
    to: 'deals',
    typeId: 6,
    inverseTypeId: 5,
    label: 'Primary',
    v3Name: 'company_to_deal',
    isDefault: false,
  },
];

const BY_ID = new Map(ASSOCIATION_TYPES.map((type) => [type.typeId, type]));

export function associationType(typeId: number): AssociationType | undefined {
  return BY_ID.get(typeId);
}

/** The type `from → to` uses when the caller does not name one ("associate default"). */
export function defaultAssociationType(
  from: ObjectType,
  to: ObjectType,
): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((type) => type.from === from && type.to === to && type.isDefault);
}

/** The object type a HUBSPOT_DEFINED type id points at, starting from `from`. */
export function associationTarget(from: ObjectType, typeId: number): ObjectType | undefined {
  const type = BY_ID.get(typeId);
  return type && type.from === from ? type.to : undefined;
}
