/**
 * An id PostgreSQL's `uuid` type takes (any version, either case): tested before an id reaches a
 * `::uuid` cast, so that a malformed one is answered as unknown rather than failing the statement.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
