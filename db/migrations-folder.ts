import { fileURLToPath } from 'node:url';

/** The committed migrations: SQL files and the journal that orders them (meta/_journal.json). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
