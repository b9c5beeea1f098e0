import type { Locator, Page } from '@playwright/test';
import type { Catalog } from '../support/catalog';

/** The message bar: the run's messages as they happen, newest first. */
export class MessageBar {
  readonly bar: Locator;
  readonly log: Locator;
  readonly liveLine: Locator;

  constructor(page: Page, t: Catalog) {
    this.bar = page.getByRole('region', { name: t.messages.title });
    this.log = this.bar.getByRole('log');
    this.liveLine = this.bar.getByTestId('live-line');
  }

  message(text: string | RegExp): Locator {
    return this.log.getByRole('listitem').filter({ hasText: text });
  }
}
