// Durations as people write them in configuration and on the command line: 90m, 12h, 2d.

const secondsPerUnit: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90m" → 5400, "12h" → 43200, "3600" → 3600 (a bare number is seconds); null when it is not a duration. */
export function parseDurationSeconds(text: string): number | null {
  const match = /^(\d{1,9})\s*([smhd]?)$/i.exec(text.trim());
  if (!match?.[1]) return null;
  return Number(match[1]) * (secondsPerUnit[(match[2] || 's').toLowerCase()] ?? 1);
}

/** 43200 → "12h", 5400 → "90m", 45 → "45s": the largest unit that fits exactly, as parseDurationSeconds reads it. */
export function formatDurationSeconds(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
