// ESLint for People: TypeScript's recommended rules, and the module rules of README "Working on
// People": a domain is entered through its `*.service.ts`; the rest of its folder is private.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders that are domains: other code enters them only through their service file. */
const domains = ['employees', 'organisation', 'timeoff', 'certifications', 'events', 'auth', 'jobs', 'access', 'workflows', 'integrations', 'legal', 'reviews', 'training', 'portal', 'defend'];
const anyDomain = `(?:${domains.join('|')})`;

const privateFileMessage =
  "Another domain's private file: import its *.service.js instead (README, 'Working on People'). If the service lacks what you need, export it there.";

/**
 * An import into a domain other than `own` that is not one of `allowed` (file-name patterns).
 * Services are always allowed.
 */
function restrictDomains(own, allowed = []) {
  const others = own === null ? anyDomain : `(?!${own}/)${anyDomain}`;
  const publicFiles = ['[\\w-]+\\.service\\.js', ...allowed].join('|');
  return {
    regex: `^(?:\\.\\./)+${others}/(?!(?:${publicFiles})$)`,
    message: privateFileMessage,
  };
}

/**
 * Imports refused everywhere, in every block (a block's no-restricted-imports replaces the
 * previous one): date-fns's index loads every one of its functions, 10 MB of a replica's idle
 * memory (issue 14); each function has its own entry point.
 */
const refusedEverywhere = [{ name: 'date-fns', message: "Import the function's own entry point, e.g. 'date-fns/addDays': the index loads all of date-fns (10 MB)." }];

const layerRule = (patterns) => ({ 'no-restricted-imports': ['error', { paths: refusedEverywhere, patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/generated/**', 'src/server/explorer-assets/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  { files: ['src/**/*.ts'], rules: layerRule([]) },
  // Inside a domain: other domains through their service only.
  ...domains.map((domain) => ({
    files: [`src/${domain}/**/*.ts`],
    ignores: ['src/**/*.tables.ts'],
    rules: layerRule([
      restrictDomains(domain),
      {
        // graphql/context.ts is the one exception: the request context's type, which imports only types (tested).
        regex: '^(?:\\.\\./)+(?:graphql/(?!context\\.js$)|server/|seed/|cli/)',
        message: 'Domains do not import the composition layer (graphql/, server/, seed/, cli/): it imports them. The request context type is graphql/context.js.',
      },
    ]),
  })),
  // Tables may reference other domains' tables (foreign keys).
  {
    files: ['src/**/*.tables.ts'],
    rules: layerRule([restrictDomains(null, ['[\\w-]+\\.tables\\.js'])]),
  },
  // shared/ and db/ are below every domain: they import none of them.
  {
    files: ['src/shared/**/*.ts', 'src/db/database.ts'],
    rules: layerRule([
      {
        regex: `^(?:\\.\\./)+(?:${anyDomain}/|graphql/(?!context\\.js$)|server/|seed/|cli/)`,
        message: 'shared/ and db/ sit below every domain and import none of them (pass what you need in, e.g. a callback in the context).',
      },
    ]),
  },
  // The composition layer wires domains: their services, resolvers, loaders and tables.
  {
    files: ['src/graphql/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts', 'src/seed/**/*.ts', 'src/main.ts'],
    // auth/ is not restricted here: the server and the CLI build authentication from its parts.
    rules: layerRule([restrictDomains('auth', ['[\\w-]+\\.(?:resolvers|loaders|tables)\\.js'])]),
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  // Plain JavaScript here runs on Node (scripts, this file).
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } } },
);
