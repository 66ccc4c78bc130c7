import { registerEnumType } from 'type-graphql';
import { SalesChannel } from '../db/generated/enums';

/**
 * The door an order came in through (the data model's enum, registered once for GraphQL). Kept
 * below the feature folders: orders, the audit log and channel policies all speak of it.
 */
export { SalesChannel };
registerEnumType(SalesChannel, { name: 'SalesChannel' });
