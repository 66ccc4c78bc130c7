import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The folders of src/, bottom to top. A file may import (type imports included) from its own
 * folder and from folders of lower layers, never from a higher layer or a sibling of its own layer:
 * http → graphql → feature folders → idempotency and stores → db, config and observability at the
 * bottom. A new folder must be placed here before it can be used.
 */
const LAYERS: readonly (readonly string[])[] = [
  // Prisma's generated model (types and enums of the schema); what Node says (platform/: its
  // network error codes), named once for every folder. Neither imports anything of ours.
  ['db/generated', 'platform'],
  ['config', 'cli'],
  ['observability'],
  ['db', 'redis'],
  ['stores', 'auth'],
  ['idempotency', 'request', 'sales-channel'],
  // The catalog defines what a SKU is; the matcher (dedupe) compares carts by it.
  ['catalog'],
  ['dedupe', 'order-tokens', 'rate-limit', 'risk'],
  ['audit'],
  ['orders'],
  ['order-index', 'channels', 'demo'],
  ['graphql', 'hardening'],
  ['http'],
  ['app'],
  // src/main.ts
  ['.'],
];

/** The browser SDK stands apart: it imports nothing of the server (it is bundled for browsers on its own). */
const STANDALONE = ['client'];

const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(SRC, 'db/generated') ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folder a file belongs to: the longest LAYERS (or STANDALONE) entry that contains it. */
function folderOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep).join('/');
  const known = [...LAYERS.flat(), ...STANDALONE]
    .filter((folder) => folder !== '.')
    .sort((a, b) => b.length - a.length);
  return (
    known.find((folder) => relative.startsWith(`${folder}/`)) ?? (relative.includes('/') ? relative.split('/')[0] : '.')
  );
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Relative imports of a file (import, import type, export … from, require), resolved to files under src/. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier))
    .map((target) => (target.endsWith('.json') ? target : `${target.replace(/\.(ts|js)$/, '')}.ts`))
    .filter((target) => target.startsWith(SRC));
}

/** Every import that points up, sideways, or into or out of a standalone folder: `file → target (from → to)`. */
function wrongArrows(sources: string[], imports: (file: string) => string[] = importsOf): string[] {
  const wrong: string[] = [];
  for (const file of sources) {
    const from = folderOf(file);
    for (const target of imports(file)) {
      const to = folderOf(target);
      if (to === from) continue;
      const allowed = STANDALONE.includes(from) || STANDALONE.includes(to) ? false : layerOf(to) < layerOf(from);
      if (!allowed) wrong.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)} (${from} → ${to})`);
    }
  }
  return wrong;
}

/** Every cycle of a file graph, as `a → b → a` (paths relative to src/). */
function cyclesOf(graph: ReadonlyMap<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map((step) => path.relative(SRC, step)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return cycles;
}

const files = sourceFiles(SRC);

describe('dependencies between the folders of src/', () => {
  it('places every folder in a layer', () => {
    const unplaced = [...new Set(files.map(folderOf))].filter(
      (folder) => layerOf(folder) < 0 && !STANDALONE.includes(folder),
    );
    expect(unplaced).toEqual([]);
  });

  it('point one way: no folder imports a higher or sibling folder, type imports included', () => {
    expect(wrongArrows(files)).toEqual([]);
  });

  it('form no cycle between files (what `npx madge --circular --extensions ts src` checks)', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => target.endsWith('.ts'))]));
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('would catch a wrong arrow and a cycle (the check itself can fail)', () => {
    // Files that do not exist, with the imports a mistake would write: the checker must name each.
    const written: Record<string, string> = {
      'config/upward.ts': "import type { OrderService } from '../orders/order.service';",
      'channels/sideways.ts': "export { createDemoRouter } from '../demo/demo-router';",
      'client/into-server.ts': "import { loadConfig } from '../config/config';",
      'orders/downward.ts': "import { loadConfig } from '../config/config';",
    };
    const sources = Object.keys(written).map((file) => path.join(SRC, file));
    const imports = (file: string) => importsOf(file, written[path.relative(SRC, file)]);
    expect(wrongArrows(sources, imports)).toEqual([
      'config/upward.ts → orders/order.service.ts (config → orders)',
      'channels/sideways.ts → demo/demo-router.ts (channels → demo)',
      'client/into-server.ts → config/config.ts (client → config)',
    ]);
    const [a, b, c] = ['orders/a.ts', 'orders/b.ts', 'orders/c.ts'].map((file) => path.join(SRC, file));
    expect(
      cyclesOf(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual(['orders/a.ts → orders/b.ts → orders/c.ts → orders/a.ts']);
    expect(folderOf(path.join(SRC, 'db/generated/enums.ts'))).toBe('db/generated');
    expect(folderOf(path.join(SRC, 'db/migrations/migrator.ts'))).toBe('db');
  });
});
