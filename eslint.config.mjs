// ESLint 9 flat config: typescript-eslint's type-aware recommended rules, plus the house rules that keep the
// architecture visible (STYLE.md): no console in src/, and modules used only through their index.ts.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const BOUNDARY_MESSAGE = "Use another module only through its index.ts (import from '../<module>'), see STYLE.md rule 1.";

/**
 * Forbids a relative import that climbs `depth` folders to src/modules/ and then goes deeper than a module's
 * folder: from src/modules/a/x.ts '../b' is fine, '../b/b.service' is not; from src/modules/a/dto/x.ts the same
 * holds for '../../b' and '../../b/entities/y'. Own-module imports ('./', '../dto/...') are not affected.
 */
const intoAnotherModule = (depth) => ({
  regex: `^${'\\.\\./'.repeat(depth)}[^./][^/]*/.+`,
  message: BOUNDARY_MESSAGE,
});
// Any path that names a module's inner file, e.g. '../../modules/customers/entities/customer.entity'.
const throughModulesFolder = { regex: '(^|/)modules/[^/]+/.+', message: BOUNDARY_MESSAGE };

const boundaries = (depth) => ['error', { patterns: [intoAnotherModule(depth), throughModulesFolder] }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'openapi/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_`-prefixed names and rest siblings are deliberate ways to drop a value.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Async methods without await implement async interfaces (Nest guards, JobQueue, fastify hooks).
      '@typescript-eslint/require-await': 'off',
      // Redundant `!`/`as` are harmless and some document intent at driver boundaries; not worth the churn.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // SQLite user functions receive `unknown` arguments that are stringified on purpose.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [throughModulesFolder] }],
    },
  },
  { files: ['src/modules/*/*.ts'], rules: { 'no-restricted-imports': boundaries(1) } },
  { files: ['src/modules/*/*/*.ts'], rules: { 'no-restricted-imports': boundaries(2) } },
  { files: ['src/modules/*/*/*/*.ts'], rules: { 'no-restricted-imports': boundaries(3) } },
  {
    // Tests read JSON bodies (`any`) and poke at internals; type safety there buys little.
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
