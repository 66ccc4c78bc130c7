/**
 * Prints a development bearer token: `npm run token -- <customerId> [--admin] [--expires 8h]`.
 * It signs with the same JWT_SECRET the server uses (the development default when unset), and
 * reads no other setting.
 */
import { signViewerToken } from '../src/auth/jwt';
import { commandUsage, parseCommandLine } from '../src/cli/command-line';
import { ConfigError, loadJwtSecret } from '../src/config/config';

const HELP = {
  usage: 'npm run token -- <customerId> [--admin] [--expires 8h]',
  about: "Prints a bearer token for the customer (an admin's with --admin), signed with the server's JWT_SECRET.",
};
const ARGUMENTS = {
  allowPositionals: true,
  options: { admin: { type: 'boolean' }, expires: { type: 'string', default: '8h' } },
} as const;

async function main(): Promise<void> {
  const { positionals, values } = parseCommandLine(HELP, ARGUMENTS);
  const [customerId] = positionals;
  if (!customerId || positionals.length > 1) {
    console.error(commandUsage(HELP, ARGUMENTS));
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
