import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SentryClient } from '../../../core/sentry/client';
import { SentryApiError } from '../../../core/sentry/errors';
import { createReplayTransport } from '../../../core/sentry/transport';
import type { ResponseRecord } from '../../../core/sentry/transport';
import { createOrgData } from '../../../core/sentry/org-data';
import { FAST_RETRIES, makeClient } from './helpers/client';
import { TOKEN, startFakeSentry } from './helpers/fake-sentry';
import { ORG, controlHandler, regionHandler } from './helpers/org-fixture';

const Obj = z.looseObject({ ok: z.boolean() });

async function caught(p: Promise<unknown>): Promise<SentryApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SentryApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('TLS', () => {
  let dir = '';
  let server: https.Server;
  let url = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sentry-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    writeFileSync(path.join(dir, 'not-a-cert.pem'), 'hello');
    server = https.createServer(
      { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('an untrusted certificate is a tls error, not retried, never bypassed', async () => {
    const client = new SentryClient({ baseUrl: url, getToken: () => TOKEN, scheduler: FAST_RETRIES });
    const e = await caught(client.request('GET', '/api/0/', { schema: Obj }));
    expect(e.code).toBe('tls');
    expect(e.message).toMatch(/could not be verified/);
    expect(client.stats().requestsSent).toBe(1);
    client.close();
  });

  it('caFile adds a trust anchor', async () => {
    const client = new SentryClient({ baseUrl: url, getToken: () => TOKEN, caFile: path.join(dir, 'cert.pem'), scheduler: FAST_RETRIES });
    expect((await client.request('GET', '/api/0/', { schema: Obj })).ok).toBe(true);
    client.close();
  });

  it('an unreadable or non-PEM caFile is invalid_input', () => {
    for (const f of [path.join(dir, 'missing.pem'), path.join(dir, 'not-a-cert.pem')]) {
      try {
        new SentryClient({ baseUrl: url, getToken: () => TOKEN, caFile: f });
        throw new Error('expected a refusal');
      } catch (e) {
        expect(e).toBeInstanceOf(SentryApiError);
        expect((e as SentryApiError).code).toBe('invalid_input');
      }
    }
  });
});

describe('replay transport', () => {
  it('answers a second audit from the responses recorded by the first, offline', async () => {
    const region = await startFakeSentry(() => ({ status: 500 }));
    region.setHandler(regionHandler({ regionUrl: region.url, members: 130 }));
    const records: ResponseRecord[] = [];
    const live = makeClient(region, { records });
    const first = createOrgData(live, ORG);
    const liveMembers = await first.members();
    const liveKeys = await first.projectKeys();
    await region.close();

    const offline = new SentryClient({
      baseUrl: region.url,
      getToken: () => TOKEN,
      transport: createReplayTransport(records),
      scheduler: FAST_RETRIES,
    });
    const second = createOrgData(offline, ORG);
    const replayedMembers = await second.members();
    expect(replayedMembers).toEqual(liveMembers);
    // Records hold what a package may store: key secrets were redacted, all else is identical.
    const replayedKeys = await second.projectKeys();
    expect(replayedKeys.ok && liveKeys.ok).toBe(true);
    if (replayedKeys.ok && liveKeys.ok) {
      expect(replayedKeys.value.map((k) => k.secret)).toEqual(liveKeys.value.map(() => '[redacted]'));
      expect(replayedKeys.value.map((k) => ({ ...k, secret: null }))).toEqual(liveKeys.value.map((k) => ({ ...k, secret: null })));
      expect(JSON.stringify(records)).not.toContain('ffffffffffffffffffffffffffffffff');
    }
    const missing = await second.teams();
    expect(!missing.ok && missing.error.message).toMatch(/no recorded response/);
  });

  it('records a replayed body as it was stored: not redacted a second time, under the digest it was stored by', async () => {
    // A body redaction would change, as an older version may have stored it: replaying it must
    // give the stored bytes back (verify compares digests), while a live answer is redacted.
    const text = '{"ok":true,"token":"0123456789abcdef0123456789abcdef"}';
    const sha256 = createHash('sha256').update(text).digest('hex');
    const stored: ResponseRecord = { method: 'GET', origin: 'https://sentry.example.com', url: '/api/0/', status: 200, fetchedAt: '2026-01-01T00:00:00.000Z', sha256, body: text, headers: {} };
    const seen: ResponseRecord[] = [];
    const offline = new SentryClient({
      baseUrl: 'https://sentry.example.com',
      getToken: () => '',
      transport: createReplayTransport([stored]),
      onResponse: (r) => seen.push(r),
    });
    const value = await offline.request('GET', '/api/0/', { schema: z.looseObject({ token: z.string() }) });
    expect(value.token).toBe('0123456789abcdef0123456789abcdef');
    expect(seen.map((r) => [r.sha256, r.body])).toEqual([[sha256, text]]);

    const live = await startFakeSentry(() => ({ status: 200, body: JSON.parse(text) as unknown }));
    const liveRecords: ResponseRecord[] = [];
    const answered = await makeClient(live, { records: liveRecords }).request('GET', '/api/0/', { schema: z.looseObject({ token: z.string() }) });
    await live.close();
    expect(answered.token).toBe('[redacted]');
    expect(liveRecords[0]?.sha256).not.toBe(sha256);
  });

  it('refuses a record whose body does not match its hash', async () => {
    const control = await startFakeSentry(controlHandler({ regionUrl: 'http://127.0.0.1:1' }));
    const records: ResponseRecord[] = [];
    await makeClient(control, { records }).request('GET', '/api/0/', { schema: z.looseObject({}) });
    await control.close();
    const tampered = records.map((r) => ({ ...r, body: r.body.replace('org:write', 'org:admin') }));
    const offline = new SentryClient({ baseUrl: control.url, getToken: () => TOKEN, transport: createReplayTransport(tampered) });
    const e = await caught(offline.request('GET', '/api/0/', { schema: z.looseObject({}) }));
    expect(e.code).toBe('malformed_response');
  });
});
