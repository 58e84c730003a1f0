// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** @param {string} why */
const framework = (why) => [
  { group: ['hono', 'hono/*', '@hono/*'], message: why },
  { group: ['@trpc/*'], message: why },
  { group: ['solid-js', 'solid-js/*', '@solidjs/*'], message: why },
  { group: ['@modelcontextprotocol/*'], message: why },
];
const coreWhy = 'core is framework-agnostic (ARCHITECTURE.md): adapters live in api, mcp and web.';
const testFiles = ['**/*.test.ts', '**/*.int.test.ts', '**/test-support/**'];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.aoc/**', 'web/e2e/screenshots/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', '*/bin/*.js'] },
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['*/src/**/*.ts', '*/src/**/*.tsx'],
    ignores: testFiles,
    rules: { 'no-console': 'error' },
  },
  {
    files: ['core/src/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...framework(coreWhy),
            { group: ['@aoc/*'], message: 'core imports no other workspace package (ARCHITECTURE.md).' },
          ],
        },
      ],
    },
  },
  {
    files: ['core/src/**/*.test.ts', 'core/src/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...framework(coreWhy),
            {
              group: ['@aoc/api', '@aoc/mcp', '@aoc/web'],
              message: 'core tests may use @aoc/sim only; core never depends on a surface.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['mcp/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['hono', 'hono/*', '@hono/*', '@trpc/*', 'solid-js', '@solidjs/*'],
              message: 'mcp stays transport-neutral; api mounts it.',
            },
            { group: ['@aoc/api', '@aoc/web'], message: 'mcp imports core only (ARCHITECTURE.md).' },
          ],
        },
      ],
    },
  },
  {
    files: ['mcp/src/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['hono', 'hono/*', '@hono/*', '@trpc/*', 'solid-js', '@solidjs/*'],
              message: 'mcp stays transport-neutral; api mounts it.',
            },
            {
              group: ['@aoc/api', '@aoc/web', '@aoc/sim'],
              message: 'mcp imports core only (ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/src/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['solid-js', '@solidjs/*'], message: 'the console lives in web.' },
            { group: ['@aoc/web'], message: 'api serves web/dist as files; it never imports web.' },
            {
              group: ['@aoc/sim'],
              message: 'api may load sim only lazily (await import) for embedded defaults (ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aoc/api', '@aoc/api/*'],
              allowTypeImports: true,
              message: 'web imports api for types only: import type { AppRouter }.',
            },
            {
              group: ['@aoc/core', '@aoc/mcp', '@aoc/sim', 'mongodb', 'hono'],
              message: 'nothing of the server reaches the bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['sim/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aoc/*'], message: 'sim imports no other workspace package (ARCHITECTURE.md).' },
          ],
        },
      ],
    },
  },
  {
    files: testFiles,
    rules: {
      // Tests assert on values the driver and fetch hand back untyped; the unsafe-* family would only add casts.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
