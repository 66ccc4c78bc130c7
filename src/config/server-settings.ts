import { z } from 'zod';
import { positiveMs, wholeNumber } from './numeric-variables';
import { oneWordOf } from './words';

// Three parts, which config.ts composes apart to keep the variables' order (see environmentSchema).

/** What kind of server this is and where it listens. */
export const serverEnvironment = {
  // In lower case only: Express and other libraries read NODE_ENV themselves and compare it exactly,
  // so `Production` taken here would run half the process as production and half not.
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error:
        'expected development, production or test, in lower case (Express and other libraries read NODE_ENV themselves and compare it exactly)',
    })
    .default('development')
    .describe(
      '`development` serves Apollo Sandbox and introspection; `production` requires JWT_SECRET, refuses the embedded mode, hides schema suggestions and closes CORS by default; `test` behaves as `development`.',
    ),
  HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe(
      "Interface to listen on (0.0.0.0: all of the machine's IPv4 ones; ::, all). The start-up line `order gate is serving` names it with the port (`listening`, an IPv6 address in brackets) and a URL to open on this machine (`url`: 127.0.0.1 for 0.0.0.0 and ::).",
    ),
  PORT: wholeNumber({ min: 0, max: 65_535 }).default(4000).describe('TCP port; 0 picks a free one.'),
};

export type ServerEnvironment = z.infer<z.ZodObject<typeof serverEnvironment>>;

/** How the server logs, stops and bounds a request body. */
export const httpEnvironment = {
  LOG_LEVEL: oneWordOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level, in any case (`INFO` is `info`).'),
  SHUTDOWN_DELAY_MS: wholeNumber({ min: 0, unit: 'milliseconds' })
    .default(0)
    .describe(
      'How long SIGTERM keeps serving, `/readyz` answering 503, before the listener closes and draining starts (ms): give it your load balancer’s probe interval so that it stops sending first.',
    ),
  SHUTDOWN_GRACE_MS: positiveMs
    .default(10_000)
    .describe(
      'How long SIGTERM lets the requests it has received finish once draining starts, before cutting what is left (ms).',
    ),
  HTTP_BODY_LIMIT_BYTES: wholeNumber({ min: 1_024, unit: 'bytes' })
    .default(1_048_576)
    .describe('Largest request body (bytes); larger answers 413.'),
};

/** Which web pages may call the API from a browser (src/http/cors.ts). */
export const corsEnvironment = {
  // `*` or exact origins (`scheme://host[:port]`, as browsers send Origin): a typo must stop the
  // start, not silently lock a shop front out.
  CORS_ORIGINS: z
    .string()
    .transform((text, ctx) => {
      const entries = text.split(',').map((entry) => entry.trim());
      if (entries.length === 1 && entries[0] === '*') return '*' as const;
      const notOrigins = entries.filter(
        (entry) => !/^https?:\/\//.test(entry) || !URL.canParse(entry) || new URL(entry).origin !== entry,
      );
      if (notOrigins.length === 0) return entries;
      ctx.addIssue({
        code: 'custom',
        message:
          'expected * or a comma-separated list of origins like https://shop.example.com (scheme://host[:port], ' +
          `no path or trailing slash); not origins: ${notOrigins.map((entry) => JSON.stringify(entry)).join(', ')}`,
      });
      return z.NEVER;
    })
    .optional()
    .describe(
      "Web origins allowed to call the API from a browser: `*` or `https://shop.example.com,…`. Default: none in production; loopback pages and Apollo's hosted Sandbox in development.",
    ),
};
