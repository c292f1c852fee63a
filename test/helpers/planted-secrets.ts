import path from 'node:path';
import type { FaultSpec } from '../../simulator/index';
import { filesOf } from './evidence';
import { readDecoded } from './decoded-file';

/**
 * Secret shapes that slipped through redaction once (issue 9), planted in simulator answers, and
 * a search for them in any output after decoding JSON, URL and base64 (written independently of
 * the redactor, so a bug there cannot hide itself).
 */
export const PLANTED = {
  azureCode: 'AzFnCode0123456789abcdefGHIJKLmnop==',
  queryKey: 'AIzaSyDk3y0123456789abcdefghijkl',
  querySig: 'Sig0123456789abcdefXYZ',
  queryToken: 'QryTok0123456789abcdefgh',
  slackPath: 'SlackSecretPath0123456789ab',
  discordToken: 'DiscordSecretToken_abcdefghij0123456789',
  hubSignature: 'HubSigSecret0123456789abcd',
  pwd: 'PwdSecret0123456',
  pass: 'PassSecret012345',
  auth: 'AuthSecret012345',
  key: 'KeySecret0123456789abc',
  private: 'PrivateSecret012345',
  escapedKey: 'EscapedKeySecret0123',
} as const;

/** An object that holds every planted shape, for a 200 answer that the schemas accept. */
export function plantedObject(): Record<string, unknown> {
  const p = PLANTED;
  return {
    azure: `https://hooks.example.net/api/notify?code=${p.azureCode}&clientId=default`,
    maps: `https://maps.example.com/api/js?key=${p.queryKey}&v=3`,
    signed: `https://storage.example.com/blob?sv=2020&sig=${p.querySig}`,
    callback: `https://cb.example.com/hook?token=${p.queryToken}`,
    slack: `https://hooks.slack.com/services/T0000SLACK/B0000SLACK/${p.slackPath}`,
    discord: `https://discord.com/api/webhooks/123456789012/${p.discordToken}`,
    headers: [{ name: 'X-Hub-Signature-256', value: `sha256=${p.hubSignature}` }],
    pwd: p.pwd,
    pass: p.pass,
    auth: p.auth,
    key: p.key,
    private: p.private,
  };
}

/** The session token in the forms a proxy or error page may echo it. */
export function tokenForms(token: string): Record<string, string> {
  return {
    plain: token,
    jsonEscaped: token.replace(/_/g, '\\u005f'),
    urlEncoded: token.replace(/_/g, '%5F'),
    base64: Buffer.from(`Bearer ${token}`).toString('base64'),
  };
}

/** A raw JSON text (not what JSON.stringify writes) holding the token in every form, escaped key names too. */
export function echoBody(token: string): string {
  const f = tokenForms(token);
  return (
    `{"detail":"Invalid token: Bearer ${f.jsonEscaped}","echo":{"url":"https://proxy.example/?t=${f.urlEncoded}",` +
    `"authorization":"${f.base64}","note":"seen ${f.base64} and ${f.plain}"},"pass\\u0077ord":"${PLANTED.escapedKey}"}`
  );
}

/** Faults that plant the shapes: a 200 with extra fields on members, a 200 and a 500 echo. */
export function plantingFaults(token: string): FaultSpec[] {
  return [
    { method: 'GET', path: '/api/0/organizations/:org/members/', kind: 'wrong_shape', field: 'planted', value: plantedObject() },
    { method: 'GET', path: '/api/0/organizations/:org/sentry-apps/', kind: 'raw_body', status: 200, body: echoBody(token) },
    { method: 'GET', path: '/api/0/organizations/:org/audit-logs/', kind: 'raw_body', status: 500, body: echoBody(token) },
  ];
}

function stringsOf(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  }
}

function decodings(text: string): string[] {
  const out = [text];
  try {
    stringsOf(JSON.parse(text), out);
  } catch {
    // not JSON: searched as text
  }
  for (const s of [...out]) {
    try {
      out.push(decodeURIComponent(s));
    } catch {
      out.push(s.replace(/%5F/gi, '_'));
    }
    out.push(s.replace(/\\u005f/gi, '_'));
    for (const run of s.match(/[A-Za-z0-9+/=_-]{16,}/g) ?? []) {
      for (let i = 0; i < 4; i++) out.push(Buffer.from(run.slice(i), 'base64').toString('latin1'));
    }
  }
  return out;
}

/** Which secrets (by label) appear in `text` in any decoding. */
export function secretsIn(text: string, secrets: Readonly<Record<string, string>>): string[] {
  const all = decodings(text);
  return Object.entries(secrets)
    .filter(([, s]) => all.some((t) => t.includes(s)))
    .map(([label]) => label);
}

/** Every file of a folder searched, decoded: `file: label` for each hit. */
export function secretsInFolder(dir: string, secrets: Readonly<Record<string, string>>): string[] {
  return filesOf(dir).flatMap((rel) => secretsIn(readDecoded(path.join(dir, ...rel.split('/'))), secrets).map((l) => `${rel}: ${l}`));
}
