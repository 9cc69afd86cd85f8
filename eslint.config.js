// Lint with type information (typescript-eslint's project service): only rules that catch
// bugs a type checker misses, chiefly promises nobody awaits or handles. Formatting is
// Prettier's (.prettierrc.json), not the linter's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // types/shared-globals.d.ts belongs to shared/tsconfig.json alone (the other layers have the real lib).
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.mjs', '**/*.js', 'types/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection stops the server).
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (an event listener, forEach) loses its error too.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // One style of private members: ECMAScript #private, which is private at run time too.
      // (A `private constructor` stays: ECMAScript has none, and static factories need it.)
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'TSParameterProperty[accessibility], PropertyDefinition[accessibility="private"], PropertyDefinition[accessibility="protected"], MethodDefinition[kind!="constructor"][accessibility="private"], MethodDefinition[accessibility="protected"]',
          message: 'Use an ECMAScript #private member instead of the TypeScript private/protected keyword.',
        },
      ],
    },
  },
);
