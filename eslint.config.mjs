// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'tools/**',
      'models/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Libraries are imported through their public index only (DESIGN.md conventions).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@imgsearch/*/*', '**/libs/*/src/*', '**/services/*'],
              message: 'Import a lib through its @imgsearch/<name> alias.',
            },
          ],
        },
      ],
      // Configuration is read once, in the config lib; nothing else reads the environment.
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through @imgsearch/config.',
        },
      ],
    },
  },
  {
    files: [
      'libs/config/src/**',
      'e2e/**',
      'scripts/**',
      'bench/**',
      '**/*.spec.ts',
      'libs/testing/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['e2e/**', '**/*.spec.ts', 'libs/testing/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
