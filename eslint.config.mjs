// Lint rules: type-aware promise checks everywhere, and a hard boundary that keeps domain/ and lib/
// free of framework and I/O imports so the algorithms stay plain, fast-to-test TypeScript.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const FRAMEWORK_IMPORTS = ['@nestjs/*', 'mongoose', 'bull', 'ioredis', 'openai', 'handlebars', 'nodemailer', 'jose', 'web-push'];

// Each delivery engine is wrapped once: only its adapter file imports it.
const WRAPPED_ONCE = {
  nodemailer: 'src/modules/delivery/channels/email/mailer.ts',
  jose: 'src/modules/delivery/channels/jwt-signer.ts',
  'web-push': 'src/modules/delivery/channels/webpush.channel.ts',
};

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
    files: ['src/**/*.ts'],
    ignores: Object.values(WRAPPED_ONCE),
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: Object.entries(WRAPPED_ONCE).map(([name, file]) => ({ name, message: `Only ${file} imports ${name}.` })) },
      ],
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
