// The two-replica test (test/replicas/two-replicas.test.ts) needs a real PostgreSQL: two processes
// cannot share an embedded PGlite (one process owns its data folder). Without TEST_DATABASE_URL it
// is skipped, and the run ends with this line (vitest's reporter prints it), so that a green
// `npm test` on PGlite does not pass for a proof of replicas. CI runs it (`.ci/run` runs `npm test`
// on PostgreSQL too). Kept free of imports so that vitest's config can read it.

export const replicaTestsFiles = ['test/replicas/two-replicas.test.ts'];

export const runReplicaTests = Boolean(process.env.TEST_DATABASE_URL);

export const replicaTestsSkippedNotice =
  `Two-replica test skipped (${replicaTestsFiles.join(', ')}): it starts two People processes on one PostgreSQL, ` +
  'and TEST_DATABASE_URL is not set (PGlite cannot be shared by two processes). To run it: ' +
  'TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run test/replicas';
