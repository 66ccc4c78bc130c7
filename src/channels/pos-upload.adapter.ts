import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { authenticate } from '../auth/jwt';
import { SalesChannel } from '../sales-channel/sales-channel.type';
import { sendProblem, sendUnauthenticated } from './channel-answers';
import { channelRequestOf } from './channel-adapter';
import type { ChannelAdapter, ChannelDependencies } from './channel-adapter';
import { listedReport, placeReceipts } from './pos-batch';
import type { PosTally } from './pos-batch';
import { readPosFile } from './pos-file';
import { charsetOf, decodeTextFile } from './text-body';

/** Least time between two progress lines of an upload's answer (ms). */
const PROGRESS_INTERVAL_MS = 500;

/**
 * `POST /channels/pos/receipts`: a store's POS export (CSV, one line per item) uploaded by an admin
 * (bearer token with role admin). The answer streams as it goes (`application/x-ndjson`):
 * `{"type":"progress",…}` lines while receipts are placed, then one `{"type":"report",…}` with the
 * counts, the bad lines and the receipts not placed (REPORT_LIST_LIMIT of each listed, the rest counted). A refusal of the whole upload (no token,
 * no header line) is a problem document instead.
 */
export const posUploadAdapter: ChannelAdapter = {
  name: 'pos-upload',
  mount(router, dependencies) {
    // Any content type is read: `curl --data-binary @file.csv` sends form-urlencoded by default. The
    // bytes, decoded here (decodeTextFile), since body-parser puts U+FFFD for bytes not of the charset.
    const bytes = express.raw({ type: () => true, limit: dependencies.settings.posUploadLimitBytes });
    // The token is checked before the file is read: an upload without an admin's token is refused
    // at once, not after its 20 MiB have been received.
    const admin = (request: Request, response: Response, next: NextFunction) => {
      requireAdmin(request, response, dependencies.jwtSecret).then((allowed) => (allowed ? next() : undefined), next);
    };
    router.post('/channels/pos/receipts', admin, bytes, (request: Request, response: Response) =>
      upload(request, response, dependencies),
    );
  },
};

/** Whether the request carries an admin's token; if not, it has been answered 401 or 403. */
async function requireAdmin(request: Request, response: Response, jwtSecret: string): Promise<boolean> {
  const { viewer, refusal } = await authenticate(request.header('authorization'), jwtSecret);
  if (!viewer) {
    sendUnauthenticated(response, refusal);
    return false;
  }
  if (viewer.role !== 'admin') {
    sendProblem(response, 403, { code: 'FORBIDDEN', detail: 'Uploading POS files needs an admin token.' });
    return false;
  }
  return true;
}

async function upload(
  request: Request,
  response: Response,
  { gate, metrics, settings, logger }: ChannelDependencies,
): Promise<void> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const decoded = decodeTextFile(body, charsetOf(request.header('content-type')));
  if ('problem' in decoded) return sendProblem(response, 400, { code: 'BAD_FILE', detail: decoded.problem });
  const file = await readPosFile(decoded.text);
  if ('fileProblem' in file) return sendProblem(response, 400, { code: 'BAD_FILE', detail: file.fileProblem });

  const orphanLines = file.problems.filter((problem) => problem.receipt === undefined).length;
  metrics.receive(SalesChannel.POS, file.receipts.length + file.spoiled.length + orphanLines);
  metrics.refuse(SalesChannel.POS, file.spoiled.length + orphanLines);

  let closed = false;
  response.once('close', () => (closed = true));
  response.status(200).type('application/x-ndjson');
  response.flushHeaders();
  let lastProgressAt = 0;
  const progress = (tally: PosTally) => {
    if (Date.now() - lastProgressAt < PROGRESS_INTERVAL_MS) return;
    lastProgressAt = Date.now();
    const { receipts, done, created, duplicates, held, rejected, inProgress, failed } = tally;
    response.write(
      `${JSON.stringify({ type: 'progress', receipts, done, created, duplicates, held, rejected, inProgress, failed })}\n`,
    );
  };
  const report = await placeReceipts(gate, file, channelRequestOf(response, logger), {
    concurrency: settings.posBatchConcurrency,
    onProgress: progress,
    stopped: () => closed,
  });
  response.end(`${JSON.stringify({ type: 'report', ...listedReport(report) })}\n`);
}
