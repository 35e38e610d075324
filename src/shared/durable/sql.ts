import { sql, type SQL } from 'drizzle-orm';

/** `ms` milliseconds as a PostgreSQL interval, for `now() + …` in lease and retry statements. */
export function intervalOfMs(ms: number): SQL {
  return sql`(${Math.max(0, Math.round(ms))}::double precision * interval '1 millisecond')`;
}
