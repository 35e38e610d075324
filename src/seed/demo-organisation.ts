import type { Database } from '../db/database.js';
import type { Clock } from '../shared/dates.js';

export async function seedDemoOrganisationIfEmpty(_db: Database, _clock: Clock): Promise<number> {
  return 0;
}
