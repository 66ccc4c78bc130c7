import type { ApolloServerPlugin } from '@apollo/server';

/** Steps of a server's life that belong to the composition root. */
export interface LifecycleSteps {
  /** Runs when Apollo starts, before the first request (background workers). */
  start(): void | Promise<void>;
  /**
   * Runs when Apollo stops, after the drain plugin has let in-flight requests finish (no decision
   * can come in any more): flush what is buffered, then close the pools.
   */
  stop(): Promise<void>;
}

/** The server's own start-up and shutdown steps, in Apollo's lifecycle hooks (as its drain plugin's). */
export function ApolloServerPluginLifecycle(steps: LifecycleSteps): ApolloServerPlugin {
  return {
    async serverWillStart() {
      await steps.start();
      return {
        async serverWillStop() {
          await steps.stop();
        },
      };
    },
  };
}
