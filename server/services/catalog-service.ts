import type { LifecycleStagesResponse, ProjectsResponse } from '../../shared/api/catalog';
import type { Clock } from '../clock';
import type { AppStore } from '../storage/app-store';
import type { ConnectionService } from './connection-service';
import type { Systems } from './systems';

/** The choices Settings offers: HubSpot's lifecycle stages and Xentral's projects. */
export class CatalogService {
  constructor(
    private readonly deps: {
      store: AppStore;
      connection: ConnectionService;
      systems: Systems;
      clock: Clock;
    },
  ) {}

  stages(): LifecycleStagesResponse {
    const connection = this.deps.store.connection();
    const stored = connection ? this.deps.store.lifecycleStages(connection.hubId) : undefined;
    return stored ?? { stages: [], refreshedAt: null };
  }

  /** Loads the stages from HubSpot (at connect time, and with "Update lifecycle stages"). */
  async refreshStages(): Promise<LifecycleStagesResponse> {
    const { adapter, hubId } = await this.deps.systems.hubspot();
    const stages = await adapter.lifecycleStages();
    this.deps.store.saveLifecycleStages(hubId, stages, this.deps.clock().toISOString());
    return this.stages();
  }

  async projects(search: string | undefined): Promise<ProjectsResponse> {
    return { projects: await this.deps.systems.xentral.projects(search ?? '') };
  }
}
