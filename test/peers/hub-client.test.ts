import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { classifyHubStatus, createHubClient, type HubClient } from '../../src/peers/hub-client.js';
import { startHubSimulator, type HubSimulator } from '../simulators/hub.js';

// The typed Hub client against a real HTTP Hub simulator: what it sends, and what each answer means.

let hub: HubSimulator;
const employeeId = '7d0f4c1e-9a51-4f0e-8a3b-2f7d1c5e6a90';
const workflowId = '0b6e3a52-1c4d-4e8f-9a7b-5d2c1e0f3a84';
const requestedAt = new Date('2026-06-30T17:00:00.000Z');

beforeEach(async () => {
  hub = await startHubSimulator({ users: ['hub-user-1', 'team/ops user'] });
});
afterEach(async () => {
  await hub.close();
});

function client(overrides: { integrationKey?: string; timeoutMs?: number } = {}): HubClient {
  return createHubClient({ url: hub.url, integrationKey: overrides.integrationKey ?? hub.integrationKey, timeoutMs: overrides.timeoutMs ?? 2_000 });
}

const revoke = (hubClient: HubClient, hubUserId = 'hub-user-1', idempotencyKey = `revoke-access:${workflowId}`) =>
  hubClient.revokeAccess(
    { hubUserId, employeeId, email: 'leaver@example.com', workflowId, reason: 'OFFBOARDING', requestedAt },
    { idempotencyKey },
  );

describe('revokeAccess and restoreAccess', () => {
  it('POST the contract’s path, headers and body, and answer done on a 2xx', async () => {
    expect(await revoke(client())).toEqual({ outcome: 'done', status: 200 });
    expect(
      await client().restoreAccess(
        { hubUserId: 'hub-user-1', employeeId, workflowId, reason: 'OFFBOARDING_REVERSED', requestedAt },
        { idempotencyKey: `restore-access:${workflowId}` },
      ),
    ).toEqual({ outcome: 'done', status: 200 });

    expect(hub.requests).toEqual([
      {
        action: 'revoke-access',
        hubUserId: 'hub-user-1',
        headers: { integrationKey: hub.integrationKey, idempotencyKey: `revoke-access:${workflowId}`, contentType: 'application/json' },
        body: { employeeId, email: 'leaver@example.com', workflowId, reason: 'OFFBOARDING', requestedAt: '2026-06-30T17:00:00.000Z' },
        status: 200,
        replayed: false,
      },
      {
        action: 'restore-access',
        hubUserId: 'hub-user-1',
        headers: { integrationKey: hub.integrationKey, idempotencyKey: `restore-access:${workflowId}`, contentType: 'application/json' },
        body: { employeeId, workflowId, reason: 'OFFBOARDING_REVERSED', requestedAt: '2026-06-30T17:00:00.000Z' },
        status: 200,
        replayed: false,
      },
    ]);
    expect(hub.revoked.has('hub-user-1')).toBe(false);
  });

  it('sends a Hub user id with a slash or a space as one path segment', async () => {
    expect(await revoke(client(), 'team/ops user')).toEqual({ outcome: 'done', status: 200 });
    expect(hub.revoked).toEqual(new Set(['team/ops user']));
  });

  it('answers notFound when Hub does not know the user (404)', async () => {
    expect(await revoke(client(), 'hub-user-unknown')).toEqual({ outcome: 'notFound', status: 404 });
  });

  it('answers refused with the status and Hub’s error code on another 4xx, and never holds the key', async () => {
    const wrongKey = 'wrong-hub-key-never-to-be-shown';
    const outcome = await revoke(client({ integrationKey: wrongKey }));
    expect(outcome).toEqual({ outcome: 'refused', status: 401, code: 'invalid_integration_key' });
    expect(JSON.stringify(outcome)).not.toContain(wrongKey);
  });

  it('answers retryable on a 5xx and on 429, with the Retry-After asked for', async () => {
    hub.failNext(1, 503);
    expect(await revoke(client())).toEqual({ outcome: 'retryable', status: 503, error: 'Hub answered HTTP 503', retryAfterMs: null });
    hub.failNext(1, 429, 7);
    expect(await revoke(client())).toEqual({ outcome: 'retryable', status: 429, error: 'Hub answered HTTP 429', retryAfterMs: 7_000 });
    expect(hub.performed('revoke-access')).toHaveLength(0);
  });

  it('answers retryable when Hub is down (connection refused)', async () => {
    await hub.down();
    expect(await revoke(client())).toEqual({ outcome: 'retryable', status: null, error: 'Hub unreachable (ECONNREFUSED)', retryAfterMs: null });
  });

  it('answers retryable when Hub is slower than the timeout; the retry with the same key revokes once', async () => {
    hub.setLatency(400);
    expect(await revoke(client({ timeoutMs: 100 }))).toEqual({
      outcome: 'retryable',
      status: null,
      error: 'Hub did not answer within 100 ms',
      retryAfterMs: null,
    });
    hub.setLatency(0);
    expect(await revoke(client())).toEqual({ outcome: 'done', status: 200 });
    for (let waited = 0; hub.inFlight() > 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    // Hub acted on the first request (it answered late) and replayed its answer to the second.
    expect(hub.performed('revoke-access')).toHaveLength(1);
    expect(hub.requests.map((request) => request.replayed).sort()).toEqual([false, true]);
  });
});

describe('classifyHubStatus', () => {
  it.each([
    [200, 'done'],
    [202, 'done'],
    [204, 'done'],
    [404, 'notFound'],
    [400, 'refused'],
    [401, 'refused'],
    [403, 'refused'],
    [409, 'refused'],
    [422, 'refused'],
    [302, 'refused'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
  ] as const)('HTTP %i is %s', (status, expected) => {
    expect(classifyHubStatus(status)).toBe(expected);
  });
});

describe('configuration', () => {
  it('reads HUB_API_URL, HUB_INTEGRATION_KEY and HUB_TIMEOUT_MS (default 5000), or no Hub at all', () => {
    const base = { NODE_ENV: 'test' };
    expect(loadConfig(base).hub).toBeNull();
    expect(loadConfig({ ...base, HUB_API_URL: 'https://hub.example/api', HUB_INTEGRATION_KEY: 'hub-key-0123456789abcdef' }).hub).toEqual({
      url: 'https://hub.example/api',
      integrationKey: 'hub-key-0123456789abcdef',
      timeoutMs: 5_000,
    });
    expect(
      loadConfig({ ...base, HUB_API_URL: 'https://hub.example/api', HUB_INTEGRATION_KEY: 'hub-key-0123456789abcdef', HUB_TIMEOUT_MS: '1500' }).hub
        ?.timeoutMs,
    ).toBe(1_500);
  });

  it('refuses HUB_API_URL without HUB_INTEGRATION_KEY and the other way round, naming the missing one', () => {
    const problemsOf = (environment: Record<string, string>): readonly string[] => {
      try {
        loadConfig({ NODE_ENV: 'test', ...environment });
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };
    expect(problemsOf({ HUB_API_URL: 'https://hub.example/api' })).toEqual([
      expect.stringMatching(/^HUB_INTEGRATION_KEY: set HUB_API_URL and HUB_INTEGRATION_KEY together/),
    ]);
    expect(problemsOf({ HUB_INTEGRATION_KEY: 'hub-key-0123456789abcdef' })).toEqual([
      expect.stringMatching(/^HUB_API_URL: set HUB_API_URL and HUB_INTEGRATION_KEY together/),
    ]);
    expect(problemsOf({ HUB_API_URL: 'ftp://hub.example', HUB_INTEGRATION_KEY: 'hub-key-0123456789abcdef' })).toEqual([
      expect.stringMatching(/^HUB_API_URL: must be an http\(s\) URL/),
    ]);
  });

  it('refuses a Hub URL carrying credentials, a query or a fragment', () => {
    for (const url of ['https://user:pass@hub.example', 'https://hub.example/api?x=1', 'https://hub.example/#x']) {
      expect(() => createHubClient({ url, integrationKey: 'hub-key-0123456789abcdef' })).toThrow(RangeError);
    }
  });
});
