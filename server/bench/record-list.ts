import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startServer } from '../main';
import { EngineStore, type NewRunItem } from '../storage/engine-store';
import { RunStore } from '../storage/run-store';

/**
 * How fast a run's records page in the Overview at 10k and 100k items: the real server on
 * loopback with its SQLite file, one finished run of `size` records (1 % skipped, spread over
 * the run), read over HTTP with the API token as the records table reads them. Each request is
 * timed five times; the median and the slowest are reported. Target: a page in ≤ 200 ms.
 */

export interface RecordListTiming {
  /** What was asked for, as the records table asks. */
  request: string;
  medianMs: number;
  maxMs: number;
  /** Records in the answer (for the CSV: lines without the header). */
  records: number;
  bytes: number;
}

export interface RecordListResult {
  size: number;
  timings: RecordListTiming[];
}

const TOKEN = 'bench-api-token-000000000000000000';
const REPEATS = 5;

function item(index: number): NewRunItem {
  const skipped = index % 100 === 37;
  return {
    type: index % 5 === 0 ? 'company' : 'contact',
    direction: index % 2 === 0 ? 'xentral_to_hubspot' : 'hubspot_to_xentral',
    action: skipped ? 'skipped' : index % 3 === 0 ? 'linked' : 'created',
    xentralId: String(100_000 + index),
    hubspotId: String(900_000 + index),
    label: `Kundin ${index} Müller`,
    ...(skipped ? { reason: 'No e-mail address.', reasonCode: 'no_email' as const } : {}),
    changes: skipped
      ? []
      : [
          { field: 'email', before: '', after: `kundin.${index}@example.com` },
          { field: 'city', before: '', after: 'Ulm' },
        ],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function measureRecordList(size: number): Promise<RecordListResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-bench-records-'));
  const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MOCK_HUBSPOT_PORT: '0',
    MOCK_XENTRAL_PORT: '0',
    DATA_DIR: dataDir,
    APP_API_TOKEN: TOKEN,
    APP_LAUNCH_SECRET: 'bench-launch-secret-00000000000000000',
    APP_SECRET: 'bench-app-secret-0000000000000000000',
    LOG_LEVEL: 'error',
  });
  const server = await startServer(config, createLogger({ level: 'error' }, silent), {});
  try {
    const db = server.composed.db;
    const runs = new RunStore(db);
    const at = new Date().toISOString();
    const runId = runs.start('sync', 'manual', null, at);
    const store = new EngineStore(db, 'bench-portal');
    db.transaction(() => {
      for (let index = 0; index < size; index++) store.addItem(runId, item(index), at);
    })();
    runs.finish(runId, 'succeeded', null, at);
    const lastId = runs.items(runId, size).at(-1)?.id ?? 0;

    const get = async (requestPath: string) => {
      const started = performance.now();
      const response = await fetch(`${server.app.url}${requestPath}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) {
        throw new Error(`${requestPath} answered ${response.status}: ${text.slice(0, 200)}`);
      }
      return { ms, text };
    };
    const time = async (
      request: string,
      requestPath: string,
      count: (text: string) => number,
    ): Promise<RecordListTiming> => {
      const times: number[] = [];
      let text = '';
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        const answer = await get(requestPath);
        times.push(answer.ms);
        text = answer.text;
      }
      return {
        request,
        medianMs: median(times),
        maxMs: Math.max(...times),
        records: count(text),
        bytes: Buffer.byteLength(text),
      };
    };
    const itemsOf = (text: string) => (JSON.parse(text) as { items: unknown[] }).items.length;
    const base = `/api/runs/${runId}`;
    const timings = [
      await time('first page (100)', `${base}?limit=100`, itemsOf),
      await time(
        'last page (after the last-but-100 id)',
        `${base}?limit=100&after=${lastId - 100}`,
        itemsOf,
      ),
      await time('skipped only, first page', `${base}?limit=100&action=skipped`, itemsOf),
      await time('companies only, first page', `${base}?limit=100&type=company`, itemsOf),
      await time(
        'CSV of every record',
        `${base}/items.csv`,
        (text) => text.split('\r\n').length - 2,
      ),
    ];
    return { size, timings };
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function recordListTable(results: readonly RecordListResult[]): string {
  const rows = results.flatMap((result) =>
    result.timings.map(
      (t) =>
        `${String(result.size).padStart(7)}  ${t.request.padEnd(40)}${t.medianMs.toFixed(1).padStart(9)}${t.maxMs.toFixed(1).padStart(9)}${String(t.records).padStart(9)}${(t.bytes / 1024).toFixed(0).padStart(9)}`,
    ),
  );
  return [
    `#  items  ${'request'.padEnd(40)}${'median ms'.padStart(9)}${'max ms'.padStart(9)}${'records'.padStart(9)}${'kB'.padStart(9)}`,
    ...rows,
  ].join('\n');
}
