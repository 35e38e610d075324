/**
 * Who is making a request. Every domain function receives it, so permission checks
 * (and the "recorded by" of every change) have one place to look.
 */
export type Caller = { kind: 'anonymous' } | { kind: 'system'; name: string };

export function describeCaller(caller: Caller): string {
  switch (caller.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'system':
      return `system:${caller.name}`;
  }
}
