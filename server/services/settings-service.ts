import {
  SettingsResponse,
  type Settings,
  type SettingsResponse as SettingsResponseType,
} from '../../shared/api/settings';
import type { Clock } from '../clock';
import { ValidationError } from '../http/errors';
import type { AppStore } from '../storage/app-store';
import type { CatalogService } from './catalog-service';
import type { Systems } from './systems';

/** Settings (SPEC §7): validated against what HubSpot and Xentral actually offer. */
export class SettingsService {
  constructor(
    private readonly deps: {
      store: AppStore;
      catalog: CatalogService;
      systems: Systems;
      clock: Clock;
      /** The process starter re-plans when the schedule changes. */
      onScheduleChanged: () => void;
    },
  ) {}

  get(): SettingsResponseType {
    return SettingsResponse.parse(this.deps.store.settings());
  }

  async put(input: Settings): Promise<SettingsResponseType> {
    const problems: { path: string; message: string }[] = [];
    const known = new Set(this.deps.catalog.stages().stages.map((stage) => stage.id));
    for (const [index, stage] of input.lifecycleStages.entries()) {
      if (!known.has(stage)) {
        problems.push({
          path: `lifecycleStages.${index}`,
          message:
            known.size === 0
              ? `"${stage}" is not a lifecycle stage of the connected portal (connect HubSpot first).`
              : `"${stage}" is not a lifecycle stage of the connected portal.`,
        });
      }
    }
    if (new Set(input.lifecycleStages).size !== input.lifecycleStages.length) {
      problems.push({ path: 'lifecycleStages', message: 'A lifecycle stage is listed twice.' });
    }
    if (input.projectId !== null && !(await this.deps.systems.xentral.project(input.projectId))) {
      problems.push({
        path: 'projectId',
        message: `Xentral has no project with id ${input.projectId}.`,
      });
    }
    if (problems.length > 0) {
      throw new ValidationError('The settings were not saved.', problems);
    }
    const previous = this.deps.store.settings();
    const now = this.deps.clock().toISOString();
    this.deps.store.saveSettings({
      ...input,
      // Deal sync considers orders released after it was switched on (SPEC §4).
      dealSyncActivatedAt: input.dealSync
        ? previous.dealSync && previous.dealSyncActivatedAt
          ? previous.dealSyncActivatedAt
          : now
        : previous.dealSyncActivatedAt,
      updatedAt: now,
    });
    if (
      previous.automatic !== input.automatic ||
      previous.intervalMinutes !== input.intervalMinutes
    ) {
      this.deps.onScheduleChanged();
    }
    return this.get();
  }
}
