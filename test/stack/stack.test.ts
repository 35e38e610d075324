import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackKeys } from '../../examples/stack-keys.js';
import { cleanUpProcesses, spawnServer, temporaryDataDir, waitFor, withTimeout, type Exit, type SpawnedServer } from '../support/process.js';

// `npm run stack` as a developer runs it: one process starting People (embedded database, demo
// data), the example PSA and Defend subgraphs, the gateway and the simulators, on free ports here.

let stack: SpawnedServer | undefined;
let printed: { gateway: string; explorer: string; token: string; bus: string; people: string };
let exit: Exit | undefined;

function line(label: string, output: string): string {
  const match = new RegExp(`${label}:\\s+(\\S+)`).exec(output);
  if (!match?.[1]) throw new Error(`the stack printed no ${label} line:\n${output}`);
  return match[1];
}

beforeAll(async () => {
  const dataDir = await temporaryDataDir();
  stack = spawnServer(
    { STACK_PORT: '0', STACK_DATA_DIR: dataDir, NODE_ENV: 'development' },
    { command: [process.execPath, '--import', 'tsx', 'examples/stack.ts'], unset: ['PORTAL_SSO_SECRET', 'SESSION_SECRET', 'HUB_TOKEN_ISSUER', 'HUB_TOKEN_AUDIENCE'] },
  );
  const running = stack;
  void running.exited.then((value) => (exit = value));
  const output = await waitFor(
    'the stack to print its URLs',
    () => (/Try, in the explorer/.test(running.stdout()) ? running.stdout() : undefined),
    180_000,
    () => (exit ? `the stack exited (code ${exit.code})\nstdout:\n${running.stdout()}\nstderr:\n${running.stderr()}` : undefined),
  );
  printed = {
    gateway: line('Gateway', output),
    explorer: line('Explorer', output),
    people: line('People', output),
    bus: line('Bus', output),
    token: /Dev token[^\n]*\n\s*(\S+)/.exec(output)?.[1] ?? '',
  };
}, 200_000);

afterAll(async () => {
  await cleanUpProcesses();
});

async function throughGateway<T>(query: string, headers: Record<string, string>): Promise<{ data?: T; errors?: { message: string }[] }> {
  const response = await fetch(printed.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: T; errors?: { message: string }[] };
}

describe('npm run stack', () => {
  it('prints the gateway, an explorer pointing at it with a token, and People', () => {
    expect(printed.gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(printed.explorer.startsWith(printed.gateway.replace(/\/graphql$/, '/explorer#token='))).toBe(true);
    expect(printed.token.split('.')).toHaveLength(3);
    expect(printed.people).not.toBe(printed.gateway);
  });

  it("answers PSA's federated query with its key: technicians joined to People's employees by id", async () => {
    const answer = await throughGateway<{ technicians: { name: string; employee: { displayName: string; jobTitle: string | null } | null }[] }>(
      '{ technicians { name employee { displayName jobTitle } } }',
      { 'x-integration-key': stackKeys.psa },
    );
    expect(answer.errors).toBeUndefined();
    const technicians = answer.data?.technicians ?? [];
    expect(technicians).toHaveLength(4);
    // Each employee's name comes from People, the technician's from PSA.
    for (const technician of technicians.slice(0, 3)) {
      expect(technician.name).toBe(`${technician.employee?.displayName} (field support)`);
      expect(technician.employee?.jobTitle).toEqual(expect.any(String));
    }
    expect(technicians[3]).toEqual({ name: 'Outside contractor', employee: null });
  });

  it("answers Defend's query with its key: alerts joined by e-mail, whatever the letter case", async () => {
    const answer = await throughGateway<{ alerts: { login: string; employee: { id: string; displayName: string } | null }[] }>(
      '{ alerts { login employee { id displayName } } }',
      { 'x-defend-service-key': stackKeys.defend },
    );
    expect(answer.errors).toBeUndefined();
    const alerts = answer.data?.alerts ?? [];
    expect(alerts).toHaveLength(3);
    expect(alerts[1]?.login).toBe(alerts[1]?.login.toUpperCase());
    // `email` is Defend's own key field (echoed as Defend has it): the id and name come from People.
    for (const alert of alerts.slice(0, 2)) {
      expect(alert.employee?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(alert.login.toLowerCase()).toContain(alert.employee?.displayName.split(' ')[0]?.toLowerCase());
    }
    expect(alerts[2]?.employee).toBeNull();
  });

  it('serves the explorer from the gateway, and the Bus simulator shows the demo events it received', async () => {
    const page = await fetch(printed.explorer.split('#')[0] ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('graphiql');
    // The demo organisation's hires went to People's outbox, and from there to Bus.
    let types: string[] = [];
    for (const deadline = Date.now() + 20_000; !types.includes('employee.hired') && Date.now() < deadline; ) {
      const received = (await (await fetch(`${printed.bus}/_simulator/received`)).json()) as { events: { type: string }[] };
      types = received.events.map((event) => event.type);
      if (!types.includes('employee.hired')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(types).toContain('employee.hired');
  });

  it('stops every part on SIGTERM and exits 0', async () => {
    const running = stack!;
    running.child.kill('SIGTERM');
    const result = await withTimeout(running.exited, 30_000, 'the stack stopping');
    expect(result).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toContain('stack stopped');
    // People stopped too: its port no longer answers.
    await expect(fetch(printed.people)).rejects.toThrow();
  });
});
