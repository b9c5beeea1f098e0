import type {
  HubSpotRecordByType,
  ObjectType,
  XentralCustomerRecord,
  XentralEmployeeRecord,
} from './model';
import { matchKeyOf } from './planner';
import type { IndexRowInput } from './run-context';

/** How records of each system enter the local index: their match key and version. */

export function customerType(record: XentralCustomerRecord): 'contact' | 'company' | 'other' {
  if (record.type === 'company') return 'company';
  if (record.type === 'mr' || record.type === 'mrs') return 'contact';
  return 'other';
}

export function customerIndexRow(record: XentralCustomerRecord): IndexRowInput {
  const type = customerType(record);
  return {
    system: 'xentral',
    type,
    id: record.id,
    matchKey: type === 'other' ? '' : matchKeyOf(type, record),
    xentralRef: '',
    updatedMs: Date.parse(record.updatedAt),
    data: record,
  };
}

export function employeeIndexRow(record: XentralEmployeeRecord): IndexRowInput {
  return {
    system: 'xentral',
    type: 'user',
    id: record.id,
    matchKey: matchKeyOf('user', record),
    xentralRef: '',
    updatedMs: Date.parse(record.updatedAt),
    data: record,
  };
}

export function hubspotIndexRow<T extends ObjectType>(
  type: T,
  record: HubSpotRecordByType[T],
): IndexRowInput {
  return {
    system: 'hubspot',
    type,
    id: record.id,
    matchKey: matchKeyOf(type, record),
    xentralRef: 'xentralId' in record ? record.xentralId : '',
    updatedMs: Date.parse(record.updatedAt),
    data: record,
  };
}
