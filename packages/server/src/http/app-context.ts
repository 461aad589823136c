import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';

/** What every route plugin gets: the database and the clock (tests pass their own clock). */
export interface AppContext {
  readonly db: Kysely<Database>;
  readonly now: () => Date;
}
