-- CreateIndex
CREATE INDEX "HeldOrder_channel_source_externalId_idx" ON "HeldOrder"("channel", "source", "externalId");
