import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TlsFiles } from './redis-server';

const run = promisify(execFile);

/** A private certificate authority in a folder, made with openssl: what a managed Redis's own CA is to its clients. */
export interface CertificateAuthority {
  /** The CA's certificate (PEM): what NODE_EXTRA_CA_CERTS names for a client that should trust it. */
  caFile: string;
  /** A server certificate signed by this CA for `names` (host names and IP addresses), with its key. */
  issue(label: string, names: readonly string[]): Promise<TlsFiles>;
}

/** A new CA in `directory` (which the caller creates and removes). Valid for a day: tests only. */
export async function createCertificateAuthority(directory: string): Promise<CertificateAuthority> {
  const caFile = path.join(directory, 'ca.crt');
  const caKey = path.join(directory, 'ca.key');
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'].concat([
      '-subj',
      '/CN=Order Gate test CA',
      '-keyout',
      caKey,
      '-out',
      caFile,
    ]),
  );
  return {
    caFile,
    async issue(label, names) {
      const keyFile = path.join(directory, `${label}.key`);
      const request = path.join(directory, `${label}.csr`);
      const certFile = path.join(directory, `${label}.crt`);
      await openssl([
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        `/CN=${names[0]}`,
        '-keyout',
        keyFile,
        '-out',
        request,
      ]);
      const extensions = path.join(directory, `${label}.ext`);
      const altNames = names.map((name) => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
      await writeFile(extensions, `subjectAltName=${altNames}\n`);
      await openssl(
        ['x509', '-req', '-in', request, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '1'].concat([
          '-out',
          certFile,
          '-extfile',
          extensions,
        ]),
      );
      return { certFile, keyFile, caFile };
    },
  };
}

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args, { timeout: 30_000 });
}
