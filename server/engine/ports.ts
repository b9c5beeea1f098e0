import type {
  DealDraft,
  DealPipeline,
  HubSpotOwnerRecord,
  HubSpotRecordByType,
  XentralCustomerRecord,
  XentralEmployeeRecord,
  XentralOrderRecord,
} from './model';

/**
 * The engine talks to the world only through these ports. Adapters implement them for the
 * real APIs (and so for the mocks); the engine never sees an SDK, a URL or a status code.
 */

export type CrmType = 'contact' | 'company';

/** A record-level outcome of a write: the run goes on when one record fails. */
export type WriteResult<R> =
  | { ok: true; record: R }
  /** uncertain: the request may have been carried out (a lost answer to a create). */
  | { ok: false; error: string; uncertain?: boolean };

export interface ChangeWindow {
  /** Exclusive lower bound in epoch ms; null reads everything. */
  sinceMs: number | null;
  /** Inclusive upper bound in epoch ms. */
  untilMs: number;
  /**
   * Told how many records the window holds when the list says so with its first page (again
   * when a read starts over); never told when the list gives no count.
   */
  onTotal?: (total: number) => void;
}

export interface HubSpotPort {
  readonly portalId: string;
  /** Granularity of HubSpot's modification times (milliseconds). */
  readonly timestampResolutionMs: number;
  /** The active owners (HubSpot users) of the portal. */
  listOwners(): Promise<HubSpotOwnerRecord[]>;
  /**
   * Records whose last-modified time lies in the window, page by page, oldest change first.
   * This goes through the search index, which shows a change only some time after it was made.
   */
  readChanged<T extends CrmType>(
    type: T,
    window: ChangeWindow,
  ): AsyncIterable<HubSpotRecordByType[T][]>;
  /**
   * Every live record of the type, page by page in id order, read from the objects list, which
   * has no index lag: what the reconciliation compares the local index with.
   */
  listRecords<T extends CrmType>(type: T): AsyncIterable<HubSpotRecordByType[T][]>;
  /**
   * Creates records, keyed by our unique xentral_id property so that repeating a create whose
   * answer was lost updates the record made the first time instead of making another.
   * Results come in input order.
   */
  createByXentralId<T extends CrmType>(
    type: T,
    inputs: { xentralId: string; patch: Partial<HubSpotRecordByType[T]> }[],
  ): Promise<WriteResult<HubSpotRecordByType[T]>[]>;
  /** Sets the given fields; results in input order. */
  update<T extends CrmType>(
    type: T,
    inputs: { id: string; patch: Partial<HubSpotRecordByType[T]> }[],
  ): Promise<WriteResult<HubSpotRecordByType[T]>[]>;
  /** Creates the custom properties the engine relies on, when missing. */
  ensureProperties(): Promise<void>;
  /**
   * The default deal pipeline and its won stage, read from the pipelines API; a portal without
   * them stops deal synchronisation with a clear reason.
   */
  dealPipeline(): Promise<DealPipeline>;
  /**
   * Creates deals keyed by the unique xentral_order_id property: repeating it after a lost
   * answer finds the deal made the first time. Results in input order.
   */
  upsertDeals(deals: DealDraft[]): Promise<WriteResult<{ id: string; orderId: string }>[]>;
  /**
   * Creates deals with their buyer associated inline: one request per 100 deals. A deal whose
   * xentral_order_id HubSpot already holds (made by a run that stopped before it could note
   * it) fails here rather than being made twice. Results in input order.
   */
  createDeals(
    inputs: { deal: DealDraft; buyerType: CrmType; buyerId: string }[],
  ): Promise<WriteResult<{ id: string; orderId: string }>[]>;
  /** Associates each deal with its buyer (HubSpot's default association), in batches. */
  associateDeals(
    buyerType: CrmType,
    pairs: { dealId: string; buyerId: string }[],
  ): Promise<WriteResult<null>[]>;
}

export interface XentralPort {
  /** Which Xentral this is (its address): what the app remembers about the instance is kept by it. */
  readonly instance: string;
  /** Granularity of Xentral's updatedAt: whole seconds. */
  readonly timestampResolutionMs: number;
  /** Customers (persons and companies) whose updatedAt lies in the window, page by page. */
  readChangedCustomers(window: ChangeWindow): AsyncIterable<XentralCustomerRecord[]>;
  readChangedEmployees(window: ChangeWindow): AsyncIterable<XentralEmployeeRecord[]>;
  createCustomer(
    patch: Partial<XentralCustomerRecord>,
  ): Promise<WriteResult<XentralCustomerRecord>>;
  updateCustomer(
    id: string,
    patch: Partial<XentralCustomerRecord>,
  ): Promise<WriteResult<XentralCustomerRecord>>;
  createEmployee(
    patch: Partial<XentralEmployeeRecord>,
  ): Promise<WriteResult<XentralEmployeeRecord>>;
  updateEmployee(
    id: string,
    patch: Partial<XentralEmployeeRecord>,
  ): Promise<WriteResult<XentralEmployeeRecord>>;
  /** Customers with this e-mail (crash recovery of a create whose answer was lost). */
  findCustomersByEmail(email: string): Promise<XentralCustomerRecord[]>;
  findCustomersByName(name: string): Promise<XentralCustomerRecord[]>;
  findEmployeesByEmail(email: string): Promise<XentralEmployeeRecord[]>;
  /**
   * Every employee from the public list: id, number and name, no e-mail, no change time. What
   * a stock Xentral offers for matching HubSpot users (by name) where the e-mail is unknown.
   */
  listEmployees(): Promise<XentralEmployeeRecord[]>;
  /** Released and completed orders (a completed order was released first) in the window. */
  readChangedOrders(window: ChangeWindow): AsyncIterable<XentralOrderRecord[]>;
}

/** What the engine needs from storage; the SQLite store implements it. */
export interface StoredRecordView {
  system: 'xentral' | 'hubspot';
  id: string;
  data: unknown;
  linked: boolean;
  xentralRef: string;
}
