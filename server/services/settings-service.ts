import { isDeepStrictEqual } from 'node:util';
import {
  SettingsResponse,
  type Settings,
  type SettingsResponse as SettingsResponseType,
  type SettingsUpdate,
} from '../../shared/api/settings';
import type { Clock } from '../clock';
import type { AppStore } from '../storage/app-store';
import type { CatalogService } from './catalog-service';
import { ValidationError } from './errors';
import type { Systems } from './systems';

/**
 * The settings the admin saves (mode, schedule, lifecycle stages, project, deal sync, defaults),
 * validated against what HubSpot and Xentral actually offer.
 */
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

  /**
   * Saves the settings. The read-only fields GET answers with may come along and are ignored;
   * settings equal to the saved ones are not saved again, so a round trip changes nothing.
   */
  async put(update: SettingsUpdate): Promise<SettingsResponseType> {
    const input = settingsOf(update);
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
    if (isDeepStrictEqual(settingsOf(previous), input)) return this.get();
    const now = this.deps.clock().toISOString();
    this.deps.store.saveSettings({
      ...input,
      // Deal sync considers orders released after it was first switched on (RULES.md, rule 17). Off
      // pauses it; the activation stays, so switching it on again sends what was released since —
      // moving it dropped the orders released while it was on and not yet sent.
      dealSyncActivatedAt: previous.dealSyncActivatedAt ?? (input.dealSync ? now : null),
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

/** The settings an admin saves, without the fields only the server sets. */
function settingsOf(from: SettingsUpdate): Settings {
  const { dealSyncActivatedAt: _activatedAt, updatedAt: _updatedAt, ...settings } = from;
  return settings;
}
