/**
 * Redaction cost per response body: bodies are judged on their
 * decoded values, so the figure to watch is the cost over a plain JSON.parse, which the client
 * pays anyway (and can skip: RedactionResult.parsed is the parse). Prints ms per body.
 * Run: npx tsx bench/redaction.ts
 */
import { redactResponseBody } from '../core/primitives/redact';

const TOKEN = `sntryu_${'0'.repeat(64)}`;
const member = (i: number) => ({
  id: String(i),
  email: `user${i}@example.com`,
  name: `User ${i}`,
  role: 'member',
  flags: { 'sso:linked': false, 'idp:provisioned': false },
  user: { id: String(i), hasPasswordAuth: true, has2fa: i % 2 === 0, avatarUrl: `https://gravatar.com/avatar/${i}?s=32&d=mm` },
  dateCreated: '2024-01-01T00:00:00Z',
});
const key = (i: number) => ({
  id: `k${i}`,
  public: 'a'.repeat(32),
  secret: 'b'.repeat(32),
  dsn: { secret: `https://${'a'.repeat(32)}:${'b'.repeat(32)}@o1.ingest.sentry.io/${i}`, public: `https://${'a'.repeat(32)}@o1.ingest.sentry.io/${i}` },
});
const BODIES: Record<string, string> = {
  'members, 100 a page (nothing to redact)': JSON.stringify(Array.from({ length: 100 }, (_, i) => member(i))),
  'members with accents (JSON escapes: the decoding path)': JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ ...member(i), name: `Zoë ${i}` }))).replace(/ë/g, '\\u00eb'),
  'client keys, 100 a page (secrets redacted)': JSON.stringify(Array.from({ length: 100 }, (_, i) => key(i))),
};

/** Best of 7 rounds: the machine is shared, and the best round is the least disturbed. */
function msPer(fn: () => void, n = 100): number {
  for (let i = 0; i < 30; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6 / n);
  }
  return best;
}

for (const [name, text] of Object.entries(BODIES)) {
  const buf = Buffer.from(text);
  const parse = msPer(() => JSON.parse(buf.toString('utf8')));
  const redact = msPer(() => redactResponseBody(buf, { secrets: [TOKEN] }));
  process.stdout.write(`${name}: ${(buf.length / 1024).toFixed(0)} kB, JSON.parse ${parse.toFixed(3)} ms, redaction ${redact.toFixed(3)} ms (${(redact / parse).toFixed(1)}x a parse)\n`);
}
