import type { Page } from '@playwright/test';
import { catalog, type Catalog, type Language } from '../support/catalog';
import { ActionTab } from './action-tab';
import { Header } from './header';
import { MessageBar } from './message-bar';
import { ModeChoice } from './mode-choice';
import { OverviewTab } from './overview-tab';
import { SettingsTab } from './settings-tab';

/** The signed-in app in one language: its header, main choice, message bar and tabs. */
export class App {
  readonly t: Catalog;
  readonly header: Header;
  readonly mode: ModeChoice;
  readonly messages: MessageBar;
  readonly settings: SettingsTab;
  readonly action: ActionTab;
  readonly overview: OverviewTab;

  constructor(
    readonly page: Page,
    readonly language: Language = 'de',
  ) {
    this.t = catalog(language);
    this.header = new Header(page, this.t);
    this.mode = new ModeChoice(page, this.t);
    this.messages = new MessageBar(page, this.t);
    this.settings = new SettingsTab(page, this.t);
    this.action = new ActionTab(page, this.t);
    this.overview = new OverviewTab(page, this.t);
  }

  in(language: Language): App {
    return new App(this.page, language);
  }

  get tabs() {
    return { settings: this.settings, action: this.action, overview: this.overview } as const;
  }
}
