import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleEvidenceReport } from '../../../helpers/report-fixture';
import { buildAssessmentResults, OSCAL_VERSION } from '../../../../core/evidence/oscal/assessment-results';
import { nistControlId, stableUuid } from '../../../../core/evidence/oscal/ids';

import type { EvidenceReport } from '../../../../shared/evidence';
import { createDemoState, startSimulator } from '../../../../simulator/index';
import type { RunningSimulator } from '../../../../simulator/index';
import { demoPackage, tempDirs, TEST_KEY } from '../../../helpers/evidence';
import { signPackage } from '../../../../core/evidence/package';
import { verifyEvidencePackage } from '../../../../core/evidence/verify';
import { parseReportText } from '../../../helpers/report-file';
import { readDecodedBytes } from '../../../helpers/decoded-file';

// NIST's published JSON schema of OSCAL 1.0.4 (usnistgov/OSCAL tag v1.0.4, see the fixture's README).
const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../../fixtures/oscal/oscal_assessment-results_schema.json');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

/**
 * The values OSCAL 1.0.4 allows for fields its JSON schema leaves as free tokens (the allowed-values
 * constraints of the assessment-common metaschema, src/metaschema/oscal_assessment-common_metaschema.xml).
 */
const ALLOWED = {
  methods: ['EXAMINE', 'INTERVIEW', 'TEST', 'UNKNOWN'],
  observationTypes: ['ssp-statement-issue', 'control-objective', 'mitigation', 'finding', 'historic'],
  subjectTypes: ['component', 'inventory-item', 'location', 'party', 'user', 'resource'],
  riskStatus: ['open', 'investigating', 'remediating', 'deviation-requested', 'deviation-approved', 'closed'],
  reason: ['pass', 'fail', 'other'],
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function schemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function allowedValueErrors(doc: Json): string[] {
  const errors: string[] = [];
  for (const r of doc['assessment-results'].results as Json[]) {
    for (const o of (r.observations ?? []) as Json[]) {
      for (const m of o.methods) if (!ALLOWED.methods.includes(m)) errors.push(`method ${m}`);
      for (const t of o.types ?? []) if (!ALLOWED.observationTypes.includes(t)) errors.push(`type ${t}`);
      for (const s of o.subjects ?? []) if (!ALLOWED.subjectTypes.includes(s.type)) errors.push(`subject ${s.type}`);
    }
    for (const k of (r.risks ?? []) as Json[]) if (!ALLOWED.riskStatus.includes(k.status)) errors.push(`risk ${k.status}`);
    for (const f of (r.findings ?? []) as Json[]) if (!ALLOWED.reason.includes(f.target.status.reason)) errors.push(`reason ${f.target.status.reason}`);
  }
  return errors;
}

describe('OSCAL assessment results', () => {
  const sample = buildSampleEvidenceReport({ withChanges: true });

  it('maps NIST 800-53 ids to OSCAL control ids and refuses what is not one', () => {
    expect(nistControlId('IA-2(1)')).toBe('ia-2.1');
    expect(nistControlId('AC-6')).toBe('ac-6');
    expect(nistControlId('AU-6 (3)')).toBe('au-6.3');
    expect(nistControlId('CC6.1')).toBeNull();
    expect(nistControlId('')).toBeNull();
    expect(stableUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('a', 'b')).not.toBe(stableUuid('a', 'c'));
  });

  it('validates against NIST\'s published schema, with the allowed values of the metaschema', () => {
    const doc = buildAssessmentResults(sample, 'a'.repeat(64)) as Json;
    expect(schemaErrors(doc)).toEqual([]);
    expect(allowedValueErrors(doc)).toEqual([]);
    expect(doc['assessment-results'].metadata['oscal-version']).toBe(OSCAL_VERSION);
    // The validator does reject what the schema forbids (a missing uuid, a bad finding state).
    const broken = JSON.parse(JSON.stringify(doc)) as Json;
    delete broken['assessment-results'].uuid;
    broken['assessment-results'].results[0].findings[0].target.status.state = 'mostly';
    expect(schemaErrors(broken).length).toBeGreaterThanOrEqual(2);
  });

  it('has one observation per finding, each citing the raw responses by hash', () => {
    const doc = buildAssessmentResults(sample, 'b'.repeat(64)) as Json;
    const [after, before] = doc['assessment-results'].results as Json[];
    expect(after!.observations).toHaveLength(sample.findings.length);
    expect(before!.observations).toHaveLength(sample.before!.findings.length);
    const resources = new Map((doc['assessment-results']['back-matter'].resources as Json[]).map((r) => [`#${r.uuid}`, r]));
    const pages = new Set(sample.reads.flatMap((r) => r.responses.map((p) => p.sha256)));
    for (const o of after!.observations as Json[]) {
      for (const ev of o['relevant-evidence'] ?? []) {
        const res = resources.get(ev.href);
        expect(res, ev.href).toBeDefined();
        // Layout 3: the file is gzip, so the response's own digest is a property, not the link's hash.
        const sha = (res!.props as Json[]).find((p) => p.name === 'response-sha256')!.value as string;
        expect(res!.rlinks[0]).toEqual({ href: `../raw/${sha}.json.gz`, 'media-type': 'application/gzip' });
        expect(pages.has(sha)).toBe(true);
      }
    }
    const cited = (after!.observations as Json[]).filter((o) => (o['relevant-evidence'] ?? []).length > 0).length;
    expect(cited).toBeGreaterThan(sample.findings.length / 2);
  });

  it('links the uncompressed raw/ files of a layout-2 package, the SHA-256 as the hash of the link', () => {
    const doc = buildAssessmentResults({ ...sample, evidenceSchemaVersion: 2 }, 'b'.repeat(64)) as Json;
    const resources = doc['assessment-results']['back-matter'].resources as Json[];
    const raw = resources.filter((r) => String(r.rlinks?.[0]?.href ?? '').startsWith('../raw/'));
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw) {
      const sha = r.rlinks[0].hashes[0].value as string;
      expect(r.rlinks[0]).toEqual({ href: `../raw/${sha}.json`, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: sha }] });
    }
    expect(schemaErrors(doc)).toEqual([]);
  });

  it('never calls a control satisfied unless every one of its findings passed', () => {
    const doc = buildAssessmentResults(sample, 'c'.repeat(64)) as Json;
    const [after] = doc['assessment-results'].results as Json[];
    for (const f of after!.findings as Json[]) {
      const control = (f.props as Json[]).find((p) => p.name === 'control')!.value as string;
      const own = sample.findings.filter((x) => x.control === control);
      const allPass = own.length > 0 && own.every((x) => x.status === 'pass' || x.status === 'not_applicable') && own.some((x) => x.status === 'pass');
      expect(f.target.status.state, control).toBe(allPass ? 'satisfied' : 'not-satisfied');
    }
    // An error or manual finding alone is not a pass either.
    const onlyErrors: EvidenceReport = { ...sample, findings: sample.findings.map((x) => ({ ...x, status: x.status === 'pass' ? 'error' : x.status })) };
    const d2 = buildAssessmentResults(onlyErrors, 'd'.repeat(64)) as Json;
    expect((d2['assessment-results'].results[0].findings as Json[]).every((f) => f.target.status.state === 'not-satisfied')).toBe(true);
  });

  it('writes exceptions as risk acceptances with approver and expiry, and attestations with their author', () => {
    const withRegisters: EvidenceReport = {
      ...sample,
      exceptions: [
        { id: 'ex-1', control: '2.3', reason: 'Two founders keep owner rights.', owner: 'Dana Risk', approvedBy: 'Alex CISO', expiresAt: '2099-01-01T00:00:00Z', createdAt: '2025-03-01T00:00:00Z', active: true, covers: ['2.3.owner-count|organization|4507312'] },
        { id: 'ex-2', control: '3.2', reason: 'Legacy SDK.', approvedBy: 'Alex CISO', expiresAt: '2025-01-01T00:00:00Z', createdAt: '2024-06-01T00:00:00Z', active: false, covers: [] },
      ],
      attestations: [{ id: 'at-1', control: '4.1', statement: 'Audit logs are exported to our SIEM weekly.', attestedBy: 'Sam Auditor', attestedAt: '2025-03-04T09:30:00Z' }],
    };
    const doc = buildAssessmentResults(withRegisters, 'e'.repeat(64)) as Json;
    expect(schemaErrors(doc)).toEqual([]);
    const ar = doc['assessment-results'];
    const [after] = ar.results as Json[];
    const risks = after!.risks as Json[];
    expect(risks.map((r) => [r.status, r.deadline])).toEqual([
      ['deviation-approved', '2099-01-01T00:00:00Z'],
      ['open', '2025-01-01T00:00:00Z'],
    ]);
    const partyName = new Map((ar.metadata.parties as Json[]).map((p) => [p.uuid, p.name]));
    const logged = risks[0]!['risk-log'].entries[0]['logged-by'] as Json[];
    expect(logged.map((l) => [l['role-id'], partyName.get(l['party-uuid'])])).toEqual([
      ['approver', 'Alex CISO'],
      ['risk-owner', 'Dana Risk'],
    ]);
    const finding23 = (after!.findings as Json[]).find((f) => f.title.startsWith('2.3 '));
    expect(finding23?.['related-risks']?.[0]?.['risk-uuid']).toBe(risks[0]!.uuid);
    const att = after!.attestations as Json[];
    expect(att).toHaveLength(1);
    expect(att[0]!.parts[0].prose).toBe('Audit logs are exported to our SIEM weekly.');
    expect(partyName.get(att[0]!['responsible-parties'][0]['party-uuids'][0])).toBe('Sam Auditor');
  });

  it('is deterministic for one report and distinct across reports', () => {
    const a = JSON.stringify(buildAssessmentResults(sample, 'f'.repeat(64)));
    expect(JSON.stringify(buildAssessmentResults(sample, 'f'.repeat(64)))).toBe(a);
    expect(JSON.stringify(buildAssessmentResults(sample, '0'.repeat(64)))).not.toBe(a);
  });

  describe('from real demo packages', () => {
    let sim: RunningSimulator;
    const dirs = tempDirs();
    beforeAll(async () => {
      sim = await startSimulator({ state: createDemoState() });
    });
    afterAll(async () => {
      await sim.close();
      dirs.cleanup();
    });

    it('validates, and every evidence link names a file of the package', async () => {
      const out = dirs.make();
      await demoPackage(sim, out, { level: 'L3' });
      const text = readFileSync(path.join(out, 'report.json'), 'utf8');
      const report = parseReportText(text);
      const doc = buildAssessmentResults(report, 'a'.repeat(64)) as Json;
      expect(schemaErrors(doc)).toEqual([]);
      expect(allowedValueErrors(doc)).toEqual([]);
      for (const r of doc['assessment-results']['back-matter'].resources as Json[]) {
        const rel = (r.rlinks[0].href as string).replace(/^\.\.\//, '');
        expect(() => readFileSync(path.join(out, rel))).not.toThrow();
        // Each linked raw/ file decompresses to the response its property names.
        const sha = ((r.props ?? []) as Json[]).find((p) => p.name === 'response-sha256')?.value as string | undefined;
        if (rel.startsWith('raw/') && sha) expect(createHash('sha256').update(readDecodedBytes(path.join(out, rel))).digest('hex')).toBe(sha);
      }
    });

    it('is written as a stream, an observation a line, and reads as the document built whole', async () => {
      const out = dirs.make();
      await demoPackage(sim, out, { level: 'L3' });
      const reportBytes = readFileSync(path.join(out, 'report.json'));
      const text = readFileSync(path.join(out, 'oscal', 'assessment-results.json'), 'utf8');
      const whole = buildAssessmentResults(parseReportText(reportBytes.toString('utf8')), createHash('sha256').update(reportBytes).digest('hex')) as Json;
      expect(JSON.parse(text)).toEqual(whole);
      const observations = whole['assessment-results'].results[0].observations as Json[];
      expect(observations.length).toBeGreaterThan(20);
      // Each observation is one line of the file, so none waited for the others to be written.
      const lines = new Set(text.split('\n').map((l) => l.trim().replace(/,$/, '')));
      for (const o of observations) expect(lines.has(JSON.stringify(o))).toBe(true);
    });

    it('is in every package: written, signed, schema-valid, and an edited copy re-signed with the real key is caught', async () => {
      const out = dirs.make();
      const written = await demoPackage(sim, out, { level: 'L2' });
      expect(written.files).toContain('oscal/assessment-results.json');
      const file = path.join(out, 'oscal', 'assessment-results.json');
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
      expect(schemaErrors(doc)).toEqual([]);
      const reportSha = createHash('sha256').update(readFileSync(path.join(out, 'report.json'))).digest('hex');
      expect(doc['assessment-results'].metadata.props[0].value).toBe(reportSha);
      expect((await verifyEvidencePackage(out)).valid).toBe(true);
      // A GRC-friendly edit (a finding turned satisfied), re-signed with the package's own key.
      const edited = readFileSync(file, 'utf8').replace('"not-satisfied"', '"satisfied"');
      expect(edited).not.toBe(readFileSync(file, 'utf8'));
      writeFileSync(file, edited);
      await signPackage(out, TEST_KEY, JSON.parse(Buffer.from(JSON.parse(readFileSync(path.join(out, 'attestation.dsse.json'), 'utf8')).payload, 'base64').toString('utf8')).predicate);
      const v = await verifyEvidencePackage(out);
      expect(v.integrity?.valid).toBe(true);
      expect(v.problems).toContain('oscal/assessment-results.json: differs from what report.json renders to, so it was edited or re-dressed');
    });
  });
});
