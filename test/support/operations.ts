/**
 * The operations the integration tests send, as query strings. Their source is
 * test/operations/*.graphql; `npm run codegen` turns those into the typed documents of
 * test/operations/generated.ts (use them with `postOperation` for typed answers).
 */
import { print } from 'graphql';
import {
  CreateOrderDocument,
  IssueOrderTokenDocument,
  OrderDocument,
  OrdersDocument,
  ProductDocument,
  UpsertProductDocument,
} from '../operations/generated';

export const CREATE_ORDER = print(CreateOrderDocument);
export const UPSERT_PRODUCT = print(UpsertProductDocument);
export const ORDER = print(OrderDocument);
export const ORDERS = print(OrdersDocument);
export const PRODUCT = print(ProductDocument);
export const ISSUE_ORDER_TOKEN = print(IssueOrderTokenDocument);
