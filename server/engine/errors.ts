/**
 * A condition that stops a whole run, with a sentence for the admin: the connection needs to
 * be renewed, a system is not answering, a daily limit is used up. Record-level problems never
 * throw; they come back as failed write results and the run goes on.
 */
export type RunAbortReason =
  | 'hubspot_auth'
  | 'hubspot_unavailable'
  | 'hubspot_rate_limit'
  | 'xentral_auth'
  | 'xentral_unavailable'
  | 'xentral_rate_limit'
  | 'configuration'
  /** The admin removed the HubSpot connection while the run was active. */
  | 'connection_removed';

export class RunAbortedError extends Error {
  constructor(
    readonly reason: RunAbortReason,
    message: string,
  ) {
    super(message);
    this.name = 'RunAbortedError';
  }
}

/**
 * A system lacks what the app needs for one kind of record (a Xentral without the routes for
 * reading employees with their e-mail). The run leaves that kind out, says so, and goes on.
 */
export class CapabilityMissingError extends Error {
  constructor(
    readonly capability: 'xentral_employees',
    message: string,
  ) {
    super(message);
    this.name = 'CapabilityMissingError';
  }
}
