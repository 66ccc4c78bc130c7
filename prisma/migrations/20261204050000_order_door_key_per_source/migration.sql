-- Added by hand (Prisma's schema cannot say a partial index): a door's key stands for one order
-- of its source, whatever customer the order names. The doors derive it from the source and
-- their own name for the order or the delivery (src/channels/channel-order.ts); customers' keys
-- (source '') stay scoped to the customer by "Order_customerId_idempotencyKey_key". Without it,
-- one Standard Webhooks `webhook-id` sent again with another order of another customer made a
-- second order (the claim and the unique (customerId, idempotencyKey) are per customer).
CREATE UNIQUE INDEX "Order_channel_source_idempotencyKey_key" ON "Order"("channel", "source", "idempotencyKey") WHERE "source" <> '';
