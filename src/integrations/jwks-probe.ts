// Whether Hub's key set (HUB_JWKS_URL) answers from here, checked at most once per `cacheMs` per
// replica (readiness probes ask often): a GET answered 200 with a JSON `keys` list. Never follows
// a redirect elsewhere silently: fetch's default is kept, the answer must still be a key set.

export interface JwksCheck {
  reachable: boolean;
  checkedAt: Date;
  /** Why not, without anything Hub answered beyond its status: `HTTP 503`, `no keys`, `ECONNREFUSED`, `timed out`. */
  problem: string | null;
}

export interface JwksProbe {
  check(): Promise<JwksCheck>;
}

export function createJwksProbe(url: string, options: { cacheMs?: number; timeoutMs?: number } = {}): JwksProbe {
  const cacheMs = options.cacheMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  let last: { at: number; result: Promise<JwksCheck> } | null = null;

  const probe = async (): Promise<JwksCheck> => {
    const checkedAt = new Date();
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) {
        await response.body?.cancel();
        return { reachable: false, checkedAt, problem: `HTTP ${response.status}` };
      }
      const body: unknown = await response.json();
      const keys = typeof body === 'object' && body !== null && 'keys' in body ? body.keys : undefined;
      return Array.isArray(keys) && keys.length > 0
        ? { reachable: true, checkedAt, problem: null }
        : { reachable: false, checkedAt, problem: 'no keys' };
    } catch (error) {
      return { reachable: false, checkedAt, problem: describeFetchFailure(error) };
    }
  };

  return {
    check() {
      const now = Date.now();
      if (!last || now - last.at >= cacheMs) last = { at: now, result: probe() };
      return last.result;
    },
  };
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  if (error instanceof SyntaxError) return 'not JSON';
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  return code ?? 'unreachable';
}
