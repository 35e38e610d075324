import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { startBusSimulator } from '../test/simulators/bus.js';
import { startHubSimulator } from '../test/simulators/hub.js';
import { startLegalSimulator } from '../test/simulators/legal.js';
import { receivedPath } from '../test/simulators/received.js';
import { readTypeDefs } from '../src/graphql/schema.js';
import { startGateway } from './gateway.js';
import { startDefendSubgraph } from './subgraphs/defend.js';
import { stackKeys } from './stack-keys.js';
import { startPsaSubgraph } from './subgraphs/psa.js';

// `npm run stack`: People as PSA and Defend see it, on loopback, in one command. People (embedded
// database, demo data) runs as its own process, exactly as `npm start` runs it; around it the
// example PSA and Defend subgraphs, an Apollo Gateway composing the three, and the Hub, Legal and
// Bus simulators People talks to. Every URL, the keys and an Admin token are printed at the end.
//
// STACK_PORT (default 4100) is the gateway's port; the others follow it (People +1, PSA +2,
// Defend +3, Hub +4, Legal +5, Bus +6). STACK_PORT=0 takes free ports (the test does).
// STACK_DATA_DIR (default .data/stack) keeps People's embedded database between runs.

const root = fileURLToPath(new URL('..', import.meta.url));


function portFor(offset: number): number {
  const base = Number(process.env.STACK_PORT ?? '4100');
  if (!Number.isInteger(base) || base < 0 || base > 65_000) throw new Error(`STACK_PORT must be a port number (or 0 for free ports), not "${process.env.STACK_PORT}"`);
  return base === 0 ? 0 : base + offset;
}

interface StartedPeople {
  child: ChildProcess;
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** Starts People as `npm start` does and waits for the URL and dev token it prints. */
async function startPeople(env: Record<string, string>): Promise<StartedPeople> {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  // The stack is about the embedded database: an outer DATABASE_URL must not redirect it.
  delete inherited.DATABASE_URL;
  delete inherited.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    // People's log lines (warnings and above), marked as People's.
    for (const line of chunk.split('\n')) if (line.startsWith('{')) process.stdout.write(`[people] ${line}\n`);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(`[people] ${chunk}`));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const url = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(out)?.[1];
    const token = /Dev token[^\n]*\n\s*(\S+)/.exec(out)?.[1];
    if (url && token) {
      return {
        child,
        url,
        token,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (exitCode !== undefined) throw new Error(`People exited while starting (code ${exitCode})`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('People did not print its URL and token within 180 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface DemoEmployee {
  id: string;
  email: string;
  displayName: string;
  hubUserId: string | null;
}

/** A few demo employees, read from People as the Admin would, for the example subgraphs' data. */
async function demoEmployees(peopleUrl: string, token: string): Promise<DemoEmployee[]> {
  const response = await fetch(`${peopleUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ employees(first: 6) { nodes { id email displayName hubUserId } } }' }),
  });
  const body = (await response.json()) as { data?: { employees: { nodes: DemoEmployee[] } }; errors?: unknown[] };
  if (!body.data) throw new Error(`People did not list its demo employees: ${JSON.stringify(body.errors)}`);
  return body.data.employees.nodes;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(root, process.env.STACK_DATA_DIR ?? '.data/stack');
  const [hub, legal, bus] = await Promise.all([
    startHubSimulator({ integrationKey: stackKeys.hub, port: portFor(4) }),
    startLegalSimulator({ integrationKey: stackKeys.legal, port: portFor(5), pageSize: 50 }),
    startBusSimulator({ integrationKey: stackKeys.bus, port: portFor(6) }),
  ]);
  legal.setPolicies([
    {
      id: 'pol-conduct',
      title: 'Code of Conduct',
      version: '2026.1',
      category: 'HR',
      effectiveDate: '2026-01-01',
      audience: { all: true },
      daysToAcknowledge: 30,
    },
  ]);

  let people: StartedPeople;
  try {
    people = await startPeople({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(portFor(1)),
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      LOG_FORMAT: 'json',
      INTEGRATION_KEY: stackKeys.psa,
      DEFEND_SERVICE_KEY: stackKeys.defend,
      LEGAL_API_URL: legal.url,
      LEGAL_INTEGRATION_KEY: stackKeys.legal,
      HUB_API_URL: hub.url,
      HUB_INTEGRATION_KEY: stackKeys.hub,
      BUS_API_URL: bus.url,
      BUS_INTEGRATION_KEY: stackKeys.bus,
    });
  } catch (error) {
    await Promise.all([hub.close(), legal.close(), bus.close()]);
    throw error;
  }
  legal.connectPeople(people.url, { key: stackKeys.legal });

  const employees = await demoEmployees(people.url, people.token);
  for (const employee of employees) if (employee.hubUserId) hub.addUser(employee.hubUserId);
  const [psa, defend] = await Promise.all([startPsaSubgraph({ port: portFor(2) }), startDefendSubgraph({ port: portFor(3) })]);
  // PSA knows technicians by People's employee id (one outside contractor has none); Defend knows
  // logins, in whatever letter case the security tool saw them.
  psa.setTechnicians([
    ...employees.slice(0, 3).map((employee, index) => ({ id: `tech-${index + 1}`, name: `${employee.displayName} (field support)`, employeeId: employee.id })),
    { id: 'tech-contractor', name: 'Outside contractor', employeeId: null },
  ]);
  defend.setAlerts([
    ...employees.slice(0, 2).map((employee, index) => ({
      id: `alert-${index + 1}`,
      login: index === 0 ? employee.email : employee.email.toUpperCase(),
      severity: index === 0 ? 'LOW' : 'HIGH',
    })),
    { id: 'alert-unknown', login: 'nobody@unknown.example', severity: 'CRITICAL' },
  ]);
  const gateway = await startGateway(
    [
      { name: 'people', typeDefs: parse(readTypeDefs()), url: `${people.url}/graphql` },
      { name: psa.name, typeDefs: psa.typeDefs, url: psa.url },
      { name: defend.name, typeDefs: defend.typeDefs, url: defend.url },
    ],
    { port: portFor(0), explorer: true },
  );

  const lines = [
    '',
    'The People stack is running (loopback only; Ctrl-C stops everything).',
    '',
    `  Gateway:   ${gateway.url}   (People + PSA + Defend, federated)`,
    `  Explorer:  ${gateway.explorerUrl}#token=${people.token}`,
    `  People:    ${people.url}/graphql   (embedded database in ${dataDir}, demo data)`,
    `  PSA:       ${psa.url}   (example subgraph: Technician joins Employee by id)`,
    `  Defend:    ${defend.url}   (example subgraph: Alert joins Employee by e-mail)`,
    `  Hub:       ${hub.url}   received: ${hub.url}${receivedPath}`,
    `  Legal:     ${legal.url}   received: ${legal.url}${receivedPath}`,
    `  Bus:       ${bus.url}   received: ${bus.url}${receivedPath}`,
    `  Ready:     ${people.url}/ready`,
    '',
    `  PSA key (X-Integration-Key):          ${stackKeys.psa}`,
    `  Defend key (X-Defend-Service-Key):    ${stackKeys.defend}`,
    '',
    '  Dev token (Admin; `npm run token -- --help` for others, with DATA_DIR set to the stack\'s):',
    `  ${people.token}`,
    '',
    '  Try, in the explorer:  { technicians { name employee { displayName jobTitle } } alerts { login severity employee { displayName } } }',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the stack\n`);
    // Front to back: the gateway, the subgraphs, People (which finishes its work), the simulators.
    await gateway.close();
    await Promise.all([psa.close(), defend.close()]);
    await people.stop();
    await Promise.all([hub.close(), legal.close(), bus.close()]);
    process.stdout.write('stack stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // People stopping on its own ends the stack: without it there is nothing to look at.
  people.child.once('close', () => {
    if (!stopping) void stop('People exited');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`The stack failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
