import { routeOf } from '../../src/http/request-logging';
import { docsBlock, tableRows } from '../support/docs';
import { withTestServer } from '../support/test-server-fixture';

const fixture = withTestServer('route-table');

/** A route the server answers: its path (a mount's prefix included) and methods (`*` for a mount). */
interface ServedRoute {
  path: string;
  methods: string[];
}

/** A layer of Express 5's router (the `router` package): what this walk reads of it. */
interface RouterLayer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
}

/** Every path the app's router answers, mounted routers walked with their prefix. */
function servedRoutes(stack: RouterLayer[], prefix = ''): ServedRoute[] {
  const routes = new Map<string, Set<string>>();
  const add = (path: string, methods: string[]) => {
    const known = routes.get(path) ?? new Set<string>();
    for (const method of methods) known.add(method);
    routes.set(path, known);
  };
  for (const layer of stack) {
    const mount = layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((method) => method !== '_all');
      add(
        `${prefix}${layer.route.path}`,
        methods.map((method) => method.toUpperCase()),
      );
    } else if (layer.handle.stack) {
      for (const route of servedRoutes(layer.handle.stack, `${prefix}${mount}`)) add(route.path, route.methods);
    } else if (mount) {
      add(`${prefix}${mount}`, ['*']);
    }
  }
  return [...routes].map(([path, methods]) => ({ path, methods: [...methods].sort() }));
}

/** The router of the Express app behind the server's routes (/graphql's JSON POSTs take a shortcut past it). */
function routerStack(): RouterLayer[] {
  return (fixture.server.app.express.router as unknown as { stack: RouterLayer[] }).stack;
}

/** The route table of docs/http.md: each path with the methods its row names in backticks. */
async function documentedRoutes(): Promise<ServedRoute[]> {
  return tableRows(await docsBlock('route table', 'docs/http.md')).map(([path, methods]) => ({
    path: path.replace(/`/g, ''),
    methods: [...methods.matchAll(/`([A-Z]+)`/g)].map((match) => match[1]).sort(),
  }));
}

describe('the route table of docs/http.md', () => {
  it('lists exactly the paths the server serves, each with its methods', async () => {
    const served = servedRoutes(routerStack());
    const documented = await documentedRoutes();
    expect(documented.map((route) => route.path).sort()).toEqual(served.map((route) => route.path).sort());
    for (const route of served.filter((served) => !served.methods.includes('*'))) {
      expect(documented.find((row) => row.path === route.path)).toEqual(route);
    }
  });

  it('names the route label of every path as the metrics section says: the path, or `other` for /demo', async () => {
    for (const { path } of await documentedRoutes()) {
      const concrete = path.replace(':source', 'acme');
      expect([path, routeOf(concrete)]).toEqual([path, path.startsWith('/demo/') ? 'other' : path]);
    }
  });

  it('would notice a route missing from the table (the check itself can fail)', () => {
    const stack: RouterLayer[] = [
      { route: { path: '/healthz', methods: { get: true } }, handle: {} },
      { rawPath: '/x', handle: { stack: [{ route: { path: '/y', methods: { post: true } }, handle: {} }] } },
    ];
    expect(servedRoutes(stack)).toEqual([
      { path: '/healthz', methods: ['GET'] },
      { path: '/x/y', methods: ['POST'] },
    ]);
  });
});
