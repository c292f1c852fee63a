import type { ResponseRecord, Transport, TransportRequest, TransportResponse } from './transport';

/**
 * Answers a GET the audit already made from its recorded response, and sends everything else
 * (any read the audit did not make, every write) to `live` (issue 10: a wizard fix plan right after
 * an audit re-read a 1,000-project organization for seconds per section). Only 2xx answers are
 * reused; the latest one of a request wins. Safe for planning because apply re-reads every
 * resource before writing it and refuses a change whose "before" no longer holds.
 */
export function createReuseTransport(records: readonly ResponseRecord[], live: Transport): Transport {
  const byKey = new Map<string, ResponseRecord>();
  for (const r of records) {
    if (r.method === 'GET' && r.status >= 200 && r.status < 300) byKey.set(`${r.origin} ${r.url}`, r);
  }
  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      const rec = req.method === 'GET' ? byKey.get(`${req.base} ${req.pathAndQuery}`) : undefined;
      if (!rec) return live.send(req);
      return { status: rec.status, headers: { ...rec.headers }, body: Buffer.from(rec.body, 'utf8'), fetchedAt: rec.fetchedAt };
    },
    close: () => live.close?.(),
  };
}
