import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AuditEventsTable, auditEventsOf } from '../../renderer/steps/section/audit-events-table';
import { fieldValue, itemsAbout, verdictFields } from '../../renderer/steps/section/evidence-fields';
import { EvidenceView } from '../../renderer/steps/section/evidence-view';
import { evidenceKey } from '../../renderer/steps/section/section.slice';
import { JsonTree } from '../../renderer/steps/section/json-tree';
import type { EvidenceDetail, Finding } from '../../renderer/store/dto';
import { done } from '../../renderer/store/status';

const SHA = 'a'.repeat(64);
const members = [
  { id: '1', email: 'ada@acme.example', orgRole: 'owner', user: { has2fa: true }, flags: { 'sso:linked': false } },
  { id: '2', email: 'ben@acme.example', orgRole: 'member', user: { has2fa: false }, flags: { 'sso:linked': false } },
];
const finding: Finding = {
  control: '1.2',
  check: '1.2.member-2fa',
  level: 'L1',
  status: 'fail',
  resource: { type: 'member', id: '2', name: 'ben@acme.example' },
  message: 'ben@acme.example (member) has neither 2FA nor a linked SSO identity.',
  evidence: [{ method: 'GET', endpoint: '/api/0/organizations/acme/members/', query: {}, pages: 1, items: 2, complete: true, fetchedAt: '2026-03-01T10:00:00.000Z', sha256: SHA }],
  details: { orgRole: 'member', has2fa: false, ssoLinked: false },
  detailsOmitted: false,
};
const detail = (body: string): EvidenceDetail => ({
  read: { sha256: SHA, method: 'GET', endpoint: '/api/0/organizations/acme/members/', query: {}, pages: 1, items: 2, complete: true, fetchedAt: '2026-03-01T10:00:00.000Z', responses: [] },
  firstPage: { url: 'https://sentry.example/api/0/organizations/acme/members/', status: 200, contentType: 'application/json', body, bytes: body.length, truncated: false },
});
const check = { id: '1.2.member-2fa', title: 'Every member signs in with a second factor', level: 'L1' as const, fields: ['email', 'orgRole', 'user.has2fa', 'flags.sso:linked'] };

describe('the evidence view', () => {
  it('shows the facts and, from the response, the fields the verdict read of the resource, highlighted; the raw JSON stays one click away', () => {
    const html = renderToStaticMarkup(<EvidenceView finding={finding} check={check} runId="run-1" evidence={{ [evidenceKey('run-1', SHA)]: done(detail(JSON.stringify(members))) }} />);
    expect(html).toContain('What the verdict used');
    expect(html).toMatch(/<dt>has2fa<\/dt><dd><mark class="fact-value">false<\/mark>/);
    // Only Ben's row: the finding is about him.
    expect(html).toContain('<mark class="field-hit">ben@acme.example</mark>');
    expect(html).not.toContain('ada@acme.example');
    expect(html).toMatch(/<code>user\.has2fa<\/code><\/th>/);
    expect(html).toContain('Show the raw response (JSON)');
    expect(html).not.toContain('json-tree');
  });

  it('shows the body as text when it is not JSON (cut short), and says when the response is no longer held', () => {
    const none = renderToStaticMarkup(<EvidenceView finding={finding} check={check} runId="run-1" evidence={{ [evidenceKey('run-1', SHA)]: done({ ...detail(''), firstPage: null }) }} />);
    expect(none).toContain('no longer held');
    expect(none).not.toContain('Show the raw response');
  });

  it('the raw tree marks the read fields of the items the verdict is about and opens them; other items stay folded', () => {
    const html = renderToStaticMarkup(<JsonTree value={members} marked={new Set([members[1]])} fields={check.fields} openMarked label="body" />);
    expect(html.match(/<mark class="json-hit">/g)).toHaveLength(4);
    expect(html).toMatch(/<mark class="json-hit"><span class="json-key">&quot;has2fa&quot;: <\/span><span class="json-boolean">false<\/span><\/mark>/);
    const items = html.split('<details class="json-node"');
    // The list, Ada (folded), Ada's user and flags, Ben (open) ...
    expect(items[2]).toMatch(/^>/);
    expect(items.filter((x) => x.startsWith(' open=""')).length).toBeGreaterThanOrEqual(3);
  });

  it('finds the items a verdict is about, and the fields of them it read', () => {
    expect(itemsAbout(members, finding.resource)).toEqual({ items: [members[1]], all: false });
    expect(itemsAbout(members, { type: 'organization', id: 'acme', name: 'Acme' })).toEqual({ items: members, all: true });
    expect(itemsAbout({ rows: members }, { type: 'member', id: '9', name: 'x' })).toEqual({ items: [], all: false });
    expect(itemsAbout({ slug: 'acme', require2FA: false }, { type: 'organization', id: 'acme', name: 'Acme' }).items).toHaveLength(1);
    expect(fieldValue(members[1]!, 'flags.sso:linked')).toEqual({ found: true, value: false });
    expect(fieldValue(members[1]!, 'user.missing')).toEqual({ found: false, value: undefined });
    // Without declared fields: the details' keys the items carry.
    expect(verdictFields(undefined, { orgRole: 'member', has2fa: false }, members)).toEqual(['orgRole']);
  });

  it("lists 4.1's security-relevant events as a table: time, actor, event, target", () => {
    const details = {
      entriesRead: 3,
      securityEvents: 2,
      recent: [
        { date: '2026-02-28T09:00:00Z', event: 'member.edit', actor: 'Ben', target: 'dan@acme.example', note: 'edited member dan (role: owner)' },
        { date: '2026-02-20T09:00:00Z', event: 'sso.disable', actor: null, target: null, note: null },
      ],
    };
    const events = auditEventsOf(details);
    expect(events?.recent).toHaveLength(2);
    expect(auditEventsOf({ securityEvents: 'x' })).toBeNull();
    const html = renderToStaticMarkup(<AuditEventsTable events={events!} />);
    expect(html).toContain('Security-relevant events (2 events): confirm each was expected');
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).toMatch(/<td class="nowrap">2026-02-28 09:00 UTC<\/td><td>Ben<\/td><td><code>member\.edit<\/code><\/td><td>dan@acme\.example<\/td>/);
    // The view shows them instead of the raw list.
    const view = renderToStaticMarkup(<EvidenceView finding={{ ...finding, check: '4.1.security-events', status: 'manual', evidence: [], details }} check={undefined} runId="r" evidence={{}} />);
    expect(view).toContain('audit-events');
    expect(view).toMatch(/<dt>entriesRead<\/dt>/);
    expect(view).not.toMatch(/<dt>recent<\/dt>/);
  });
});
