// Lint rules: type-aware promise checks everywhere, and a hard boundary that keeps domain/ and lib/
// free of framework and I/O imports so the algorithms stay plain, fast-to-test TypeScript.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const FRAMEWORK_IMPORTS = ['@nestjs/*', 'mongoose', 'bull', 'ioredis', 'openai', 'handlebars', 'nodemailer'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/**/domain/**/*.ts', 'src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: FRAMEWORK_IMPORTS, message: 'domain/ and lib/ stay framework-free: pass data in, return data out.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
