/**
 * Prints a development bearer token: `npm run token -- <customerId> [--admin] [--expires 8h]`.
 * It signs with the same JWT_SECRET the server uses (the development default when unset).
 */
import { signViewerToken } from '../src/auth/jwt';
import { ConfigError, loadConfig } from '../src/config/config';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const customerId = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--expires');
  if (!customerId) {
    console.error('usage: npm run token -- <customerId> [--admin] [--expires 8h]');
    process.exit(2);
  }
  const expiresAt = args.indexOf('--expires');
  const role = args.includes('--admin') ? 'admin' : 'customer';
  const { jwtSecret } = loadConfig();
  const token = await signViewerToken({ customerId, role }, jwtSecret, {
    expiresIn: expiresAt >= 0 ? args[expiresAt + 1] : '8h',
  });
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
