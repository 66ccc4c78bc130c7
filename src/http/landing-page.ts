import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../config/config';

/**
 * What `GET /graphql` shows a browser (`Accept: text/html`). In development and test: Apollo
 * Sandbox embedded in the page, pointed at this endpoint. In production: Apollo's production
 * landing page, without Sandbox.
 *
 * Both pages are HTML that this server serves itself, but the page then loads Apollo's script
 * from its CDN (`embeddable-sandbox.cdn.apollographql.com`): the endpoint answers without any
 * outside network, while the browser needs internet to draw Sandbox. Without it, POST
 * operations with curl (see README) work the same.
 */
export function landingPagePlugin(nodeEnv: Config['nodeEnv']): ApolloServerPlugin {
  if (nodeEnv === 'production') return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  return ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false });
}
