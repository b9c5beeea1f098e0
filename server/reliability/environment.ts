/**
 * The reliability tests' switches, and the environment of the app they start as a child
 * process. The one file of the tests that reads process.env (allowed in the lint config).
 *
 * - RELIABILITY_FULL=1: the sizes the issue names (a 100,000-record load run, more kill points)
 *   instead of the CI sizes.
 * - RELIABILITY_SEED=<n>: replays the crash test's kill points of an earlier run.
 */

export const FULL = process.env.RELIABILITY_FULL === '1';

const seed = Number(process.env.RELIABILITY_SEED);
export const SEED = Number.isInteger(seed) ? seed : undefined;

/** The parent's environment (PATH, temp dir) with the app's configuration on top. */
export function childEnvironment(config: Record<string, string>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined) inherited[name] = value;
  }
  return { ...inherited, ...config };
}
