// The layers of the README's Project layout, as rules `npm test` checks first (npm run layers).
// Each rule says which way knowledge may flow and why; a forbidden import fails the suite with
// the rule's name and the import.
const BELOW_DIALECTS = '^src/(domain|db|chain|crypto|engine|scheduler|webhooks|sandbox)/|^src/(config|logger|fixtures|errors)[.]ts$';
// What of src/http/ a dialect builds its routes with. These modules know no dialect; the rest of
// src/http/ (the app, the error mapper, the sandbox API, the pages) mounts the dialects.
const HTTP_KIT = '^src/http/(context|guarded-routes|openapi|query|validate|sandbox/guard|login-throttle|web/flavour)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle hides which way knowledge flows: a module must be readable with only what is below it. Type-only imports count.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is pure rules, tested by table: it imports nothing of the project but the error kinds (errors.ts).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/|^src/errors[.]ts$' },
    },
    {
      name: 'db-knows-only-domain',
      comment: 'db/ describes rows and opens databases: a table type imports nothing above db/ (the engine builds on the tables, never the reverse).',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|domain)/' },
    },
    {
      name: 'libraries-know-only-domain',
      comment: 'chain/ (addresses) and crypto/ (SINs, signatures, HMAC, certificates) are libraries the engine and the dialects call; they know no service, table or configuration.',
      severity: 'error',
      from: { path: '^src/(chain|crypto)/' },
      to: { path: '^src/', pathNot: '^src/(chain|crypto|domain)/|^src/errors[.]ts$' },
    },
    {
      name: 'engine-below-its-drivers',
      comment: 'The engine is driven by the scheduler, the webhook worker and the sandbox controls; it never calls up into them (it hands events to subscribers instead).',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(scheduler|webhooks|sandbox)/' },
    },
    {
      name: 'no-wire-below-dialects',
      comment: 'Everything below src/dialects/ knows no wire format: it imports no dialect, no HTTP and not the composition root, so a new dialect never changes it.',
      severity: 'error',
      from: { path: BELOW_DIALECTS },
      to: { path: '^src/(dialects|http)/|^src/(server|index|cli)[.]ts$' },
    },
    {
      name: 'dialects-stay-apart',
      comment: 'A dialect never imports another: each uses the engine and the dialect contract (dialects/dialect.ts) only, so one can be removed without touching the others.',
      severity: 'error',
      from: { path: '^src/dialects/([^/]+)/' },
      to: { path: '^src/dialects/', pathNot: ['^src/dialects/$1/', '^src/dialects/dialect[.]ts$'] },
    },
    {
      name: 'dialects-use-the-http-kit',
      comment: 'A dialect builds its routes with the HTTP kit (context, guards, validation, queries, OpenAPI descriptions, the checkout flavour); the app, the error mapper and the pages that mount dialects sit above them.',
      severity: 'error',
      from: { path: '^src/dialects/' },
      to: { path: '^src/http/', pathNot: HTTP_KIT },
    },
    {
      name: 'http-kit-knows-no-dialect',
      comment: 'The HTTP kit sits below the dialects that use it.',
      severity: 'error',
      from: { path: HTTP_KIT },
      to: { path: '^src/dialects/' },
    },
    {
      name: 'composition-root-on-top',
      comment: 'server.ts wires every layer together; only the entry points (index.ts, cli.ts) start it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index|cli)[.]ts$' },
      to: { path: '^src/server[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: { dot: { collapsePattern: '^src/[^/]+/' } },
  },
};
