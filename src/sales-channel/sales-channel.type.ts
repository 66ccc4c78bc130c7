import { registerEnumType } from 'type-graphql';
import { SalesChannel } from '../db/generated/enums';

/**
 * The door an order came in through (the data model's enum, registered once for GraphQL). Kept
 * below the feature folders: orders, the audit log and channel policies all speak of it.
 */
export { SalesChannel };
registerEnumType(SalesChannel, {
  name: 'SalesChannel',
  description:
    "The door an order came in through. A customer's createOrder may name WEB, MOBILE or API; only an admin's " +
    'may name MARKETPLACE or POS, which have doors of their own.',
  valuesConfig: {
    WEB: { description: "The web shop: createOrder's default when no channel is named." },
    MOBILE: { description: 'A mobile app, as the client names it.' },
    API: { description: 'The partner REST API (POST /api/v1/orders), or a GraphQL client that names it.' },
    MARKETPLACE: { description: 'A marketplace webhook: its key is derived from the marketplace and its order id.' },
    POS: { description: 'A point-of-sale batch upload: its key is derived from the store and the receipt.' },
  },
});
