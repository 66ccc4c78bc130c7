/**
 * A connection URL fit for a log line or an error message: its password shown as `***` (user,
 * host, port and path kept, so the operator sees which setting is meant).
 */
export function urlWithoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
