/**
 * Prints a development bearer token: `npm run token -- <customerId> [--admin] [--expires 8h]`.
 * It signs with the same JWT_SECRET the server uses (the development default when unset), and
 * reads no other setting.
 */
import { signViewerToken } from '../src/auth/jwt';
import { isCustomerId, MAX_CUSTOMER_ID_LENGTH } from '../src/auth/viewer';
import { commandUsage, parseCommandLine } from '../src/cli/command-line';
import { ConfigError, loadJwtSecret } from '../src/config/config';

const HELP = {
  usage: 'npm run token -- <customerId> [--admin] [--expires 8h]   (--expires: 30m, 8h, 2d, 1w, …)',
  about: "Prints a bearer token for the customer (an admin's with --admin), signed with the server's JWT_SECRET.",
};
const ARGUMENTS = {
  allowPositionals: true,
  options: { admin: { type: 'boolean' }, expires: { type: 'string', default: '8h' } },
} as const;

/** What jose's expiresIn takes: a number and a unit (seconds up to years). */
const TIME_SPAN =
  /^\d+(\.\d+)? ?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/i;

async function main(): Promise<void> {
  const { positionals, values } = parseCommandLine(HELP, ARGUMENTS);
  const [customerId] = positionals;
  if (!customerId || positionals.length > 1) {
    console.error(commandUsage(HELP, ARGUMENTS));
    process.exit(2);
  }
  // The server refuses a token whose `sub` names nobody: say so rather than print one.
  if (!isCustomerId(customerId)) {
    console.error(
      `${JSON.stringify(customerId)}: not a customer id (1 to ${MAX_CUSTOMER_ID_LENGTH} characters, not blank): the server would refuse its token`,
    );
    process.exit(2);
  }
  // jose reads the span ("30m", "8h", "2 days"); its own error would be a stack trace.
  if (!TIME_SPAN.test(values.expires)) {
    console.error(`--expires ${values.expires}: not a time span (a number and a unit: 30m, 8h, 2d, 1w)`);
    process.exit(2);
  }
  // A span of zero signs a token that is already expired: every request with it is UNAUTHENTICATED.
  if (!(Number.parseFloat(values.expires) > 0)) {
    console.error(`--expires ${values.expires}: a token must live longer than zero (30m, 8h, 2d, 1w)`);
    process.exit(2);
  }
  // The secret alone: signing a token needs neither the database nor Redis settings.
  const jwtSecret = loadJwtSecret();
  const token = await signViewerToken({ customerId, role: values.admin ? 'admin' : 'customer' }, jwtSecret, {
    expiresIn: values.expires,
  });
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
