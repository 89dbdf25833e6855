/**
 * The rules between the folders of the layout (README "Development"), checked by
 * `npm run lint` over src/, workers/ and config/. Each rule says why it exists; a rule that is
 * in the way is a design question, not a line to silence.
 *
 * Type-only imports count (tsPreCompilationDeps): a type is a dependency on the module that
 * defines it, and a cycle of types still ties two folders together. The one exception is the
 * Redis rule below, which cares about who talks to Redis, and a type cannot.
 */

/** npm packages the domain may use: pure computation on dates and phone numbers, no I/O. */
const PURE_LIBRARIES = '^node_modules/(@types/)?(luxon|libphonenumber-js)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycle anywhere: a cycle means neither side can be read, tested or moved on ' +
        'its own, and at runtime it makes import order decide what is still undefined.',
      from: { path: '^(src|workers|config)/' },
      to: { circular: true },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      comment:
        'src/domain is pure (no I/O, no clock reads) so it can be tested with tables of plain ' +
        'data. Of the node: builtins it may only use crypto (hashing for ids, no I/O); of npm ' +
        'packages only the pure date and phone libraries. Redis, queues, SDKs, mail, HTTP, ' +
        'logging and the file system belong to the folders around it.',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'],
        pathNot: ['^(node:)?crypto$', PURE_LIBRARIES],
      },
    },
    {
      name: 'domain-self-contained',
      severity: 'error',
      comment:
        'src/domain imports nothing from the rest of the code: everything else depends on it, ' +
        'so an import outwards is a cycle in the making. It defines its own input types. ' +
        '(config/ has a rule of its own below.)',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['local'],
        pathNot: ['^src/domain/', '^config/'],
      },
    },
    {
      name: 'domain-not-config',
      severity: 'error',
      comment:
        'The domain imports nothing from config/: it takes what it needs through its own input ' +
        'types, and config/ maps the parsed file onto them, so the file format can change ' +
        'without touching detection, planning or slots.',
      from: { path: '^src/domain/' },
      to: { path: '^config/' },
    },
    {
      name: 'config-below-the-engine',
      severity: 'error',
      comment:
        'config/ reads and writes the file and describes its fields; it may use the domain types ' +
        'it maps the file onto and the exit-code errors, nothing of the running engine (store, ' +
        'queue, providers, engine, daemon, http, cli, workers), so loading a config starts nothing.',
      from: { path: '^config/' },
      to: { path: '^(src/(?!domain/|errors\\.ts)|workers/)' },
    },
    {
      name: 'read-models-below-cli-and-http',
      severity: 'error',
      comment:
        'src/read holds what both the command line and the dashboard show; it must not depend on ' +
        'either of them, or one would import the other through it.',
      from: { path: '^src/read/' },
      to: { path: '^src/(cli|http)/' },
    },
    {
      name: 'bullmq-only-in-queue-and-workers',
      severity: 'error',
      comment:
        'Only src/queue (queues, job ids, scheduling) and workers/ (the workers and their retry ' +
        'policies) know BullMQ; the rest asks them in the product\'s words, so BullMQ types and ' +
        'options stay in two folders.',
      from: { pathNot: '^(src/queue|workers)/' },
      to: { path: '^node_modules/bullmq/' },
    },
    {
      name: 'redis-commands-only-in-store',
      severity: 'error',
      comment:
        'Only src/store builds Redis keys and runs commands on them (each key documented once, ' +
        'in the store). Opening a connection lives there too (src/store/connection.ts). Other ' +
        'folders may name the `Redis` type to hand a connection along (import type), which ' +
        'neither builds a key nor runs a command.',
      from: { path: '^(src|workers|config)/', pathNot: '^src/store/' },
      to: { path: '^node_modules/ioredis/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-redis-in-engine-or-providers',
      severity: 'error',
      comment:
        'The use cases (src/engine) and the adapters (src/providers) reach Redis only through ' +
        'src/store, not even by holding a connection: that is what keeps every key in one folder.',
      from: { path: '^(src/engine|src/providers|config)/' },
      to: { path: '^node_modules/ioredis/' },
    },
    {
      name: 'http-not-cli',
      severity: 'error',
      comment:
        'The dashboard does not import the command line: the read models both show live in one ' +
        'module both import, so a change to a CLI command cannot break a page.',
      from: { path: '^src/http/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'providers-not-store-engine-queue',
      severity: 'error',
      comment:
        'Adapters implement the CalendarSource and Mailbox ports and nothing more: they do not ' +
        'keep state in Redis, run use cases or enqueue jobs. What they need from outside comes ' +
        'in through their parameters, so each can be tested against its server alone.',
      from: { path: '^src/providers/' },
      to: { path: '^src/(store|engine|queue)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import the checker cannot resolve is invisible to every rule above; it must be fixed ' +
        'rather than slip through.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Imports of types (import type) are kept, see the top of this file.
    tsPreCompilationDeps: true,
    // Resolve the `.js` specifiers of our ESM sources to their `.ts` files as tsc does.
    tsConfig: { fileName: 'tsconfig.json' },
    // Only our own code is checked; packages are seen as the end of an arrow, not walked into.
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: '^(dist|test-artifacts)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
