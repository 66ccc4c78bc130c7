import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { environmentSchema, loadConfig, loadJwtSecret } from '../../src/config/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { parseDockerfile } from '../support/dockerfile-replay';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';
import { PROJECT_ROOT, spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';
import { serversMode } from '../support/servers-mode';

/**
 * docker-compose.yml, the README's third way to run, read without a Docker engine: what the app
 * service hands the server must be what the server reads (every name one it knows, every value one
 * it takes), its URLs must name the services and credentials of the file, its ports and health
 * check must be the server's, and the server started with that environment must pass that check.
 */

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}
const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const { app, postgres, redis } = compose.services as Record<'app' | 'postgres' | 'redis', Service>;

/** `${NAME:-default}` and `${NAME:?message}` as compose substitutes them from the shell's environment. */
function substituted(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const set = shell[name];
    if (set) return set;
    if (kind === '?') throw new Error(`compose refuses to start: ${name}: ${rest}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/** The app's environment after substitution, for a shell that exported `shell`. */
function appEnvironment(shell: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(app.environment ?? {}).map(([name, value]) => [name, substituted(value, shell)]),
  );
}

/**
 * The README's "docker compose" row of "Three ways to run", as the reader sees it: its command
 * (`export NAME=$(…); docker compose …`) and what its last column says the set-up is.
 */
function readmeComposeRow() {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith('| **docker compose** |'));
  const cells = row?.split(/(?<!\\)\|/).map((cell) => cell.trim());
  const command = /`([^`]+)`/.exec(cells?.[2] ?? '')?.[1] ?? '';
  const parts = /^(export (\w+)=\$\([^)]+\));\s*(docker compose .+)$/.exec(command);
  if (!parts)
    throw new Error(`README.md's docker compose row no longer reads \`export NAME=$(…); docker compose …\`: ${row}`);
  const [, exportCommand, variable, composeCommand] = parts;
  return { exportCommand, variable, composeCommand, purpose: cells?.at(-2) ?? '' };
}
const README_ROW = readmeComposeRow();

/** What the README's `export` leaves in the shell: run with bash (and openssl), read back from the environment. */
const SHELL: Record<string, string> = {
  [README_ROW.variable]: execFileSync(
    'bash',
    ['-euc', `${README_ROW.exportCommand}; printenv ${README_ROW.variable}`],
    {
      encoding: 'utf8',
    },
  ).trim(),
};

describe("the README's docker compose command, checked without a Docker engine", () => {
  it('exports the one variable docker-compose.yml requires (${NAME:?…}), and `npm run token` signs with it', () => {
    const required = Object.values(app.environment ?? {}).flatMap((value) =>
      [...value.matchAll(/\$\{(\w+):\?/g)].map((match) => match[1]),
    );
    expect(required).toEqual([README_ROW.variable]);
    expect(loadJwtSecret({ NODE_ENV: 'production', ...SHELL })).toBe(SHELL[README_ROW.variable]);
  });

  it("draws a secret the server's configuration takes, a fresh one each time", () => {
    const config = loadConfig(appEnvironment(SHELL));
    expect(config.jwtSecret).toBe(SHELL[README_ROW.variable]);
    const again = execFileSync('bash', ['-euc', `${README_ROW.exportCommand}; printenv ${README_ROW.variable}`]);
    expect(again.toString().trim()).not.toBe(config.jwtSecret);
  });

  it('builds the app from the Dockerfile here and publishes the port the README names, in the mode it names', () => {
    const words = README_ROW.composeCommand.split(/\s+/);
    expect(words.slice(0, 3)).toEqual(['docker', 'compose', 'up']);
    // `--build`: the app is built from this checkout (its `build:` context's Dockerfile), never a stale image.
    expect(words).toContain('--build');
    expect(existsSync(path.join(PROJECT_ROOT, app.build ?? '(no build)', 'Dockerfile'))).toBe(true);
    const port = /\bport (\d+)/.exec(README_ROW.purpose)?.[1];
    const nodeEnv = /`NODE_ENV=(\w+)`/.exec(README_ROW.purpose)?.[1];
    const config = loadConfig(appEnvironment(SHELL));
    expect([config.nodeEnv, String(config.port), app.ports]).toEqual([nodeEnv, port, [`${port}:${port}`]]);
  });
});

describe('docker-compose.yml, read against the server it runs', () => {
  it('hands the app only variables the server reads, each with a value it takes: production, servers mode', () => {
    const env = appEnvironment(SHELL);
    const known = Object.keys(environmentSchema.shape);
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
    const config = loadConfig(env);
    expect([config.nodeEnv, config.mode.kind, config.jwtSecret, config.risk.modelPath]).toEqual([
      'production',
      'servers',
      SHELL.JWT_SECRET,
      null,
    ]);
  });

  it('stops before starting without JWT_SECRET, and takes the variants its comments give', () => {
    expect(() => appEnvironment({})).toThrow(/JWT_SECRET/);
    expect(loadConfig(appEnvironment({ ...SHELL, NODE_ENV: 'development' })).introspection).toBe(true);
    const withModel = loadConfig(appEnvironment({ ...SHELL, RISK_MODEL_PATH: 'models/duplicate-risk.json' }));
    expect(withModel.risk.modelPath).toBe(path.resolve('models/duplicate-risk.json'));
    // The image carries models/ (the Dockerfile copies it), so that path exists in the container.
    expect(existsSync(path.join(PROJECT_ROOT, 'models/duplicate-risk.json'))).toBe(true);
  });

  it('points DATABASE_URL and REDIS_URL at its own services, with their credentials and database', () => {
    const mode = serversMode(loadConfig(appEnvironment(SHELL)));
    const database = new URL(mode.databaseUrl);
    const pg = postgres.environment ?? {};
    expect([database.hostname, database.port, database.username, database.password, database.pathname]).toEqual([
      'postgres',
      '5432',
      pg['POSTGRES_USER'],
      pg['POSTGRES_PASSWORD'],
      `/${pg['POSTGRES_DB']}`,
    ]);
    expect(new URL(mode.redisUrl).host).toBe('redis:6379');
    expect([postgres.image, redis.image]).toEqual(['postgres:15', 'redis:7']);
  });

  it("publishes the server's PORT, which the image exposes and the health check calls", () => {
    const { port } = loadConfig(appEnvironment(SHELL));
    expect(app.ports).toEqual([`${port}:${port}`]);
    const exposed = parseDockerfile(readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8'))
      .at(-1)
      ?.instructions.filter((instruction) => instruction.keyword.toUpperCase() === 'EXPOSE')
      .map((instruction) => instruction.args);
    expect(exposed).toEqual([String(port)]);
    expect(app.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
  });

  it("gives a stop the server's whole drain (SIGTERM delay, grace and audit flush) before compose kills it", () => {
    const config = loadConfig(appEnvironment(SHELL));
    const drainMs = config.shutdownDelayMs + config.shutdownGraceMs + config.audit.shutdownTimeoutMs;
    const grace = /^(\d+)s$/.exec(app.stop_grace_period ?? '')?.[1];
    expect(Number(grace) * 1000).toBeGreaterThan(drainMs);
  });
});

describe("the server started with the app's environment (services on this machine)", () => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  const prefix = uniqueRedisPrefix('compose');

  beforeAll(async () => {
    db = await createTestDatabase('compose');
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await db?.drop();
    await deleteRedisPrefix(prefix);
  });

  it('migrates, serves, and passes the health check compose runs', async () => {
    server = await spawnServerProcess(
      {
        ...appEnvironment(SHELL),
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
      },
      60_000,
    );
    const [command, ...args] = (app.healthcheck?.test ?? []).slice(1);
    const port = new URL(server.url).port;
    const check = args.map((arg) => arg.replace('127.0.0.1:4000', `127.0.0.1:${port}`));
    expect(command).toBe('node');
    await expect(promisify(execFile)(process.execPath, check)).resolves.toBeDefined();
    // Against nothing listening the same check fails, so it is a check.
    const nowhere = args.map((arg) => arg.replace('127.0.0.1:4000', '127.0.0.1:9'));
    await expect(promisify(execFile)(process.execPath, nowhere)).rejects.toMatchObject({ code: 1 });
  }, 90_000);
});
