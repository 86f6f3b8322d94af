/**
 * The architecture of DESIGN.md as rules (STYLE.md rule 3): dependencies point one way.
 * server → services → engine and store; xdm, mapping and secrets are libraries that know no service.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'store-is-a-leaf',
      comment: 'The metadata store knows tables, not services or HTTP.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(server|services|cli|xdm|mapping|engine|connectors|lake)/' },
    },
    {
      name: 'libraries-know-no-service',
      comment: 'XDM, Data Prep expressions and secrets are used by services, never the other way round.',
      severity: 'error',
      from: { path: '^src/(xdm|mapping|secrets)/' },
      to: { path: '^src/(server|services|cli|store|engine|connectors)/' },
    },
    {
      name: 'services-do-not-reach-the-app',
      comment: 'Services use the shared HTTP helpers (errors, listing, JSON Patch) but not the app, the gateway hook or the CLI.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(cli/|server/app\\.ts|server/gateway/gateway-hook\\.ts)' },
    },
    {
      name: 'services-keep-out-of-each-others-repositories',
      comment:
        "A service reads and writes its own kinds through its own repository (which checks their stored bodies and knows their index tables); another service asks it through its exported functions. Sandboxes and orgs are the tenancy every service works in, so their repositories are shared.",
      severity: 'error',
      from: { path: '^src/services/([^/]+)/' },
      to: { path: '^src/services/[^/]+/[^/]+\\.repository\\.ts$', pathNot: '^src/services/($1|sandbox|ims)/' },
    },
    {
      name: 'flow-index-belongs-to-flowservice',
      comment: "The store's flow index rows are read by the flow service alone, through its flows repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/flowservice/' },
      to: { path: '^src/store/flow-index\\.ts$' },
    },
    {
      name: 'batch-index-belongs-to-catalog',
      comment: "The store's batch index rows are read by Catalog alone, through its batches repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/catalog/' },
      to: { path: '^src/store/batch-index\\.ts$' },
    },
    {
      name: 'connection-index-belongs-to-flowservice',
      comment: "The store's connection index rows are read by the flow service alone, through its connections repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/flowservice/' },
      to: { path: '^src/store/connection-index\\.ts$' },
    },
    {
      name: 'data-set-index-belongs-to-catalog',
      comment: "The store's dataset index rows are read by Catalog alone, through its datasets repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/catalog/' },
      to: { path: '^src/store/data-set-index\\.ts$' },
    },
    {
      name: 'tag-index-belongs-to-catalog',
      comment: "The store's tag rows of datasets and batches are read by Catalog alone, through its tags repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/catalog/' },
      to: { path: '^src/store/tag-index\\.ts$' },
    },
    {
      name: 'registry-index-belongs-to-schemaregistry',
      comment: "The store's Schema Registry index rows are read by the Schema Registry alone, through its documents repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/schemaregistry/' },
      to: { path: '^src/store/registry-index\\.ts$' },
    },
    {
      name: 'mapping-set-index-belongs-to-conversion',
      comment: "The store's mapping-set index rows are read by Data Prep (conversion) alone, through its mapping-sets repository.",
      severity: 'error',
      from: { path: '^src/services/', pathNot: '^src/services/conversion/' },
      to: { path: '^src/store/mapping-set-index\\.ts$' },
    },
    {
      name: 'run-index-belongs-to-the-engine',
      comment: "Runs are the engine's: services read them through its runs repository, never the store's run index.",
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/store/run-index\\.ts$' },
    },
    {
      name: 'connectors-stay-sources',
      comment: 'A connector reads its source and writes staged records; it never imports the engine, the lake or a service.',
      severity: 'error',
      from: { path: '^src/connectors/' },
      to: { path: '^src/(engine|lake|services|server)/' },
    },
    {
      name: 'backups-are-run-from-the-cli',
      comment: 'Backup and restore read the store and the lake from outside; nothing else in the server uses them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|backup)/' },
      to: { path: '^src/backup/' },
    },
    {
      name: 'stand-ins-are-started-by-the-cli',
      comment: 'The provider stand-ins are fake PayPal, Stripe and Square servers for tests and `tributary sandbox`; the server must never depend on them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|standins)/' },
      to: { path: '^src/standins/' },
    },
    {
      name: 'stand-ins-stand-alone',
      comment: 'A stand-in plays the provider, so it knows nothing of Tributary: no service, engine, store or connector.',
      severity: 'error',
      from: { path: '^src/standins/' },
      to: { path: '^src/', pathNot: '^src/standins/' },
    },
    {
      name: 'only-the-cli-starts-things',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.build.json' },
    tsPreCompilationDeps: true,
  },
};
