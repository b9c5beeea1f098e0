// Lint rules for the whole project, including the import boundaries of CONVENTIONS.md:
// the client sees only shared/, the engine sees neither adapters nor frameworks, services
// know nothing of HTTP, and only server/config.ts reads the environment.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_ONLY = ['node:*', 'express', 'better-sqlite3', 'pino', '@hubspot/api-client', 'helmet'];

const NO_MOCKS = 'Production code must not depend on the mocks.';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: `${import.meta.dirname}/..` },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['client/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        ['**/server/**', ...NODE_ONLY],
        'The client imports only shared/ and browser libraries.',
      ),
    },
  },
  {
    files: ['shared/**'],
    rules: restrict(
      ['**/server/**', '**/client/**', ...NODE_ONLY],
      'shared/ holds contracts for both sides: zod and plain TypeScript only.',
    ),
  },
  {
    files: ['server/engine/**'],
    rules: restrict(
      [
        '**/adapters/**',
        '**/storage/**',
        '**/http/**',
        '**/routes/**',
        '**/mocks/**',
        ...NODE_ONLY,
      ],
      'The engine is pure: it plans over snapshots and talks to the world only through ports.',
    ),
  },
  {
    files: ['server/adapters/**', 'server/storage/**', 'server/services/**', 'server/routes/**'],
    // Their tests run the real adapters against the mock servers, which is the point.
    ignores: ['**/*.test.ts'],
    rules: restrict(['**/mocks/**'], NO_MOCKS),
  },
  {
    // Listed after the rule above, which it replaces for these files: it repeats the mocks.
    files: ['server/adapters/**', 'server/storage/**', 'server/services/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/mocks/**'], message: NO_MOCKS },
            {
              group: ['**/http/**', '**/routes/**'],
              message:
                'Services, storage and adapters know nothing of HTTP: they throw the failures of server/services/errors.ts, and the error middleware in server/http/ maps them to status codes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/mocks/**'],
    rules: restrict(
      ['**/engine/**', '**/adapters/**', '**/storage/**', '**/services/**', '**/routes/**'],
      'The mocks stand in for Xentral and HubSpot; they know nothing of the app.',
    ),
  },
  {
    files: ['server/**', 'shared/**', 'client/**'],
    // Entry points hand process.env to loadConfig(); nothing else reads it. The reliability
    // tests read their size switch and pass an environment to the app they start as a child.
    ignores: [
      'server/config.ts',
      'server/main.ts',
      'server/mocks/main.ts',
      'server/bench/**',
      'server/reliability/environment.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through server/config.ts.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'server/bench/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed as any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
