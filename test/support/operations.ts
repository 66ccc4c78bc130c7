/** The operations the integration tests send, written as a client would. */

export const ORDER_FIELDS = `
  id customerId status channel currency totalCents idempotencyKey createdAt
  items { sku quantity unitPriceCents product { id sku priceCents } }
`;

export const CREATE_ORDER = `
  mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
    createOrder(idempotencyKey: $key, input: $input) {
      __typename
      ... on OrderCreated { order { ${ORDER_FIELDS} } }
      ... on DuplicateDetected { idempotencyKey detectedBy firstSeenAt originalOrder { ${ORDER_FIELDS} } }
      ... on IdempotencyKeyReused { idempotencyKey message }
      ... on RequestInProgress { idempotencyKey retryAfterMs }
      ... on InvalidIdempotencyKey { message }
      ... on InvalidOrderToken { message }
      ... on InsufficientStock { sku requested available }
      ... on ValidationFailed { field message }
    }
  }
`;

export const UPSERT_PRODUCT = `
  mutation UpsertProduct($input: ProductInput!) {
    upsertProduct(input: $input) { id sku name priceCents currency stock }
  }
`;

export const ORDER = `query Order($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
export const ORDERS = `query Orders($first: Int) { orders(first: $first) { ${ORDER_FIELDS} } }`;
export const PRODUCT = `query Product($sku: String!) { product(sku: $sku) { id sku name priceCents currency stock } }`;

export const ISSUE_ORDER_TOKEN = `mutation IssueOrderToken { issueOrderToken { token expiresAt } }`;
