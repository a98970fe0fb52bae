// Type-aware lint; CI runs it with --max-warnings 0.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { readdirSync } from 'node:fs';

// Module boundaries (docs/modules.md §2): another module is reached through its contract, module, services and the
// shared helpers it offers — never through its repositories, schemas (a second registration of its models),
// controllers, jobs or its sub-features' private common/ folder.
const modules = readdirSync(`${import.meta.dirname}/src/modules`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const privateFiles = (module) => [
  `./src/modules/${module}/**/*.{repository,schema,controller,jobs}.ts`,
  `./src/modules/${module}/*/common/**`,
  `./src/modules/${module}/common/**`,
];
const boundaryZones = [
  ...modules.map((module) => ({
    target: `./src/modules/${module}/**`,
    from: modules.filter((other) => other !== module).flatMap(privateFiles),
    message:
      'Reach another module through its *.contract.ts, module or exported service (docs/modules.md §2).',
  })),
  {
    target: './src/**/*.controller.ts',
    from: ['./src/**/*.repository.ts', './src/**/*.schema.ts'],
    message: 'A controller calls its service; only repositories touch models (docs/modules.md §2).',
  },
  {
    target: './src/**/*.dto.ts',
    from: ['./src/**/*.repository.ts'],
    message: 'A DTO is zod plus its own value lists and view types, never data access (docs/modules.md §2).',
  },
  {
    target: './src/**/*.jobs.ts',
    from: ['./src/**/*.repository.ts'],
    message: 'Job handlers call services (docs/modules.md §2).',
  },
  {
    target: './src/{common,config,infrastructure,modules}/**',
    from: ['./src/bootstrap.ts', './src/main.ts'],
    message:
      'Only src/main.ts and harnesses import the bootstrap; use src/common/http/* (docs/modules.md §2).',
  },
];

export default tseslint.config(
  {
    // admin/ is the admin portal's own front-end project: its tsc (strict) checks it (docs/admin-portal.md)
    ignores: ['dist/**', 'node_modules/**', '.local/**', 'coverage/**', 'tools/**', 'uploads/**', 'admin/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // DTOs are made with createZodDto of src/common/http/zod.ts: it repairs nullable fields in the OpenAPI document
    // (nestjs-zod #473, src/common/http/zod-dto.ts). Services and controllers get their own rule below.
    files: ['src/**/*.ts'],
    ignores: ['src/common/http/zod-dto.ts', 'src/common/http/zod-dto.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'nestjs-zod',
              importNames: ['createZodDto'],
              message:
                'Import createZodDto from src/common/http/zod.ts (it fixes nullable fields in OpenAPI).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/modules/**/*.{service,controller}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['mongoose', '@nestjs/mongoose'].map((name) => ({
            name,
            message: 'Only repositories and schemas use Mongoose.',
          })),
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);
