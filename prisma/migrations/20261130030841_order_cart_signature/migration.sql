-- DropIndex
DROP INDEX "Order_customerId_semanticFingerprint_createdAt_idx";

-- AlterTable
ALTER TABLE "Order" DROP COLUMN "semanticFingerprint",
ADD COLUMN     "cartSignature" CHAR(64);

-- CreateIndex
CREATE INDEX "Order_customerId_cartSignature_createdAt_idx" ON "Order"("customerId", "cartSignature", "createdAt" DESC);

-- Backfill (by hand): the cart signature of every stored order, the same value as
-- src/dedupe/cart-signature.ts computes: sha256 of the canonical JSON ["EUR",[["SKU",qty],…]],
-- lines sorted by SKU in code-point order (stored SKUs are already trimmed, upper case and merged).
UPDATE "Order" AS o SET "cartSignature" = s.signature
FROM (
  SELECT i."orderId",
         encode(sha256(convert_to(
           '[' || to_json(rtrim(c."currency"))::text || ',['
               || string_agg('[' || to_json(i."sku")::text || ',' || i."quantity"::text || ']', ',' ORDER BY i."sku" COLLATE "C")
               || ']]',
           'UTF8')), 'hex') AS signature
  FROM "OrderItem" AS i JOIN "Order" AS c ON c."id" = i."orderId"
  GROUP BY i."orderId", c."currency"
) AS s
WHERE o."id" = s."orderId";
