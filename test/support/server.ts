import pino from 'pino';
import { createPeopleServer, type PeopleServer } from '../../src/server/app.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { TestClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

export interface TestApp {
  url: string;
  clock: TestClock;
  database: DatabaseHandle;
  server: PeopleServer;
  /** Sends one GraphQL operation over real HTTP. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** SQL statements the server sent while `work` ran. */
  countStatements(work: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

export async function startTestApp(options: { today?: string; database?: TestDatabase } = {}): Promise<TestApp> {
  const testDatabase = options.database ?? (await createTestDatabase());
  const clock = new TestClock(options.today ?? '2026-06-15');
  const server = await createPeopleServer({
    database: testDatabase.handle,
    clock,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    production: false,
    maxBodyBytes: 1_048_576,
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    clock,
    database: testDatabase.handle,
    server,
    async gql(query, variables, headers) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    async countStatements(work) {
      const before = testDatabase.handle.statementCount();
      await work();
      return testDatabase.handle.statementCount() - before;
    },
    async close() {
      await server.stop();
      await testDatabase.drop();
    },
  };
}
