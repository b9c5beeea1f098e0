import { fork } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChildMessage, type ChildJob, type ChildResult } from './engine-job';

const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));

/**
 * The heap budget `npm start` gives the app (package.json): V8 collects before the heap grows
 * far past what is live (about 30 MB during a 100,000-record import) instead of letting
 * garbage pile up to the machine-sized default. Measured as the app runs, with the same flag.
 */
const APP_NODE_FLAGS = ['--max-old-space-size=512'];

export interface ChildOptions {
  /** Write a V8 CPU profile of the child here (node --cpu-prof). */
  cpuProfileDir?: string | undefined;
  onProgress?: (text: string) => void;
}

/** Runs one job in a fresh `node --import tsx` process and waits for its report. */
export function runInChild(job: ChildJob, options: ChildOptions = {}): Promise<ChildResult> {
  const execArgv = [...APP_NODE_FLAGS, '--import', 'tsx'];
  if (options.cpuProfileDir !== undefined) {
    fs.mkdirSync(options.cpuProfileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  const child = fork(CHILD, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<ChildResult>((resolve, reject) => {
    let settled: { result: ChildResult } | { error: Error } | undefined;
    child.on('message', (raw: unknown) => {
      const message = ChildMessage.safeParse(raw);
      if (!message.success) {
        settled ??= {
          error: new Error(`unexpected message from the child: ${message.error.message}`),
        };
        return;
      }
      if (message.data.type === 'progress') options.onProgress?.(message.data.text);
      else if (message.data.type === 'result') settled ??= { result: message.data.result };
      else settled ??= { error: new Error(`the child failed: ${message.data.message}`) };
    });
    child.once('error', (error) => {
      settled ??= { error };
    });
    child.once('exit', (code, signal) => {
      if (settled && 'result' in settled) resolve(settled.result);
      else if (settled) reject(settled.error);
      else reject(new Error(`the child exited (${signal ?? code}) without a report`));
    });
    child.send(job);
  });
}
