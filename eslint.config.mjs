// Lint: a small rule set on top of typescript-eslint's recommended, type-aware where it matters
// (promises nobody awaits, `any` leaking into typed code). Formatting is Prettier's job.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'packages/*/dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'src/db/generated/**',
      'src/client/generated.ts',
      'test/operations/generated.ts',
      'bench/results/**',
      'demo/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Off: an async method that implements a Promise-returning interface without awaiting
      // (the memory stores beside the Redis ones) is the clearest way to write it.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Off in tests: jest's asymmetric matchers (expect.any, expect.objectContaining) are typed
      // `any`, so every `toEqual({ id: expect.any(String) })` would be reported.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
