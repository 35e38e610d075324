import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { checkPortIsFree } from './port.js';
import { StartupError } from './startup-error.js';

export interface PreparedStart {
  database: DatabaseHandle;
  /** The embedded database's folder lock; null with DATABASE_URL. Released on exit. */
  lock: DataDirLock | null;
}

/**
 * Everything that can stop People once its configuration is valid, checked before any data is
 * touched and reported together in one StartupError: the embedded database's folder is not
 * another server's, the port is free, PostgreSQL answers and the database exists.
 */
export async function prepareStart(config: Config): Promise<PreparedStart> {
  const problems: string[] = [];
  const check = async <T>(step: () => T | Promise<T>): Promise<T | null> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof StartupError)) throw error;
      problems.push(...error.problems);
      return null;
    }
  };

  const lock =
    config.database.kind === 'pglite' ? await check(() => lockDataDir(config.dataDir, { host: config.host, port: config.port })) : null;
  // However People ends from here on, a clean exit or a crash, the folder is free again.
  const releaseLock = () => lock?.release();
  process.once('exit', releaseLock);
  try {
    await check(() => checkPortIsFree(config.port, config.host));
    // Connecting to PostgreSQL changes nothing, so it is checked with the rest; the embedded
    // database is opened (and so written to) only once every check has passed.
    const database =
      config.database.kind === 'postgres' || problems.length === 0 ? await check(() => openDatabase(config.database)) : null;
    if (database === null || problems.length > 0) {
      await database?.close();
      throw new StartupError(problems);
    }
    return { database, lock };
  } catch (error) {
    releaseLock();
    process.removeListener('exit', releaseLock);
    throw error;
  }
}
