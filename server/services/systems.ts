import type { Client } from '@hubspot/api-client';
import { createHubSpotGates, HubSpotAdapter, type HubSpotGates } from '../adapters/hubspot/adapter';
import { createHubSpotClient } from '../adapters/hubspot/oauth';
import type { XentralAdapter } from '../adapters/xentral/adapter';
import type { ConnectionService } from './connection-service';

/**
 * Builds the adapters a run or a request needs: Xentral is one instance; HubSpot is one client
 * per portal and token, with the pacing gates shared by everything that talks to that portal.
 */
export class Systems {
  private readonly gates = new Map<string, HubSpotGates>();

  constructor(
    readonly xentral: XentralAdapter,
    private readonly hubspotApiUrl: string,
    private readonly connection: ConnectionService,
    private readonly hubspotTimeScale = 1,
  ) {}

  private gatesFor(hubId: string): HubSpotGates {
    let gates = this.gates.get(hubId);
    if (!gates) {
      gates = createHubSpotGates(undefined, this.hubspotTimeScale);
      this.gates.set(hubId, gates);
    }
    return gates;
  }

  /** The adapter for the connected portal, with a token that is valid now. */
  async hubspot(): Promise<{ adapter: HubSpotAdapter; client: Client; hubId: string }> {
    const { hubId } = this.connection.requireConnection();
    const client = createHubSpotClient(this.hubspotApiUrl, await this.connection.accessToken());
    const adapter = new HubSpotAdapter({
      client,
      portalId: hubId,
      gates: this.gatesFor(hubId),
      refreshAccessToken: () => this.connection.renewAfterExpiry(),
      onAccessRefused: (message) => this.connection.accessRefused(message),
    });
    return { adapter, client, hubId };
  }
}
