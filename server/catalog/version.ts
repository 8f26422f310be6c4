/**
 * The PostgreSQL version Freshet presents itself as (clients gate features on it) and Freshet's own
 * version. version() text must start with "PostgreSQL 15" for tools that parse it.
 */
export const FRESHET_VERSION = '0.1.0';
export const PG_SERVER_VERSION = '15.0';
export const PG_SERVER_VERSION_NUM = 150000;

/** The text of SELECT version(). */
export function versionText(): string {
  return `PostgreSQL ${PG_SERVER_VERSION} (Freshet ${FRESHET_VERSION}) on ${process.arch}-${process.platform}, compiled by Node.js ${process.version}, 64-bit`;
}
