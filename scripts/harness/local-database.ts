/** The local PostgreSQL's default database (trust auth): where the developer tools go without DATABASE_URL. */
export const LOCAL_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The developer tools' database: DATABASE_URL (exported but empty counts as unset, as for the server), else the local one. */
export function toolDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['DATABASE_URL'] || LOCAL_DATABASE_URL;
}
