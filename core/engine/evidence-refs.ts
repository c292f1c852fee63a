import { createHash } from 'node:crypto';
import type { Evidence, EvidenceGroup, EvidenceGroupRef, EvidenceRef } from '../../shared/finding';
import type { ReadGroup } from '../controls/types';

/**
 * Names a read by its responses: for one page, the SHA-256 of that raw response; for several,
 * the SHA-256 of their hashes joined by newlines (in page order). A read with no response (it
 * failed before any answer) hashes the empty string.
 */
export function readDigest(e: Evidence): string {
  if (e.responses.length === 1) return e.responses[0]!.sha256;
  return createHash('sha256').update(e.responses.map((r) => r.sha256).join('\n')).digest('hex');
}

/** Names a group of reads (see EvidenceGroupSchema): never equal to a read's digest. */
export function evidenceGroupId(readDigests: readonly string[]): string {
  return createHash('sha256').update(['evidence-group', ...readDigests].join('\n')).digest('hex');
}

/**
 * Turns the full reads controls attach to findings into references, keeping each read once.
 * Thousands of findings share a few reads (the member list backs every member finding), so
 * copying the reads into each finding would make reports and memory grow with their product.
 */
export class ReadRegistry {
  private readonly byObject = new WeakMap<Evidence, EvidenceRef>();
  private readonly reads = new Map<string, Evidence>();
  private readonly groupByObject = new WeakMap<ReadGroup, EvidenceGroupRef>();
  private readonly groupsById = new Map<string, EvidenceGroup>();

  ref(e: Evidence): EvidenceRef {
    const known = this.byObject.get(e);
    if (known) return known;
    const sha256 = readDigest(e);
    if (!this.reads.has(sha256)) this.reads.set(sha256, e);
    const ref: EvidenceRef = {
      method: e.method,
      endpoint: e.endpoint,
      query: e.query,
      pages: e.pages,
      items: e.items,
      complete: e.complete,
      fetchedAt: e.fetchedAt,
      sha256,
      ...(e.invalid && e.invalid.length > 0 ? { invalid: e.invalid } : {}),
    };
    this.byObject.set(e, ref);
    return ref;
  }

  /**
   * Stores a group of reads once (each read also in `all()`) and returns what a finding cites.
   * The same group object on thousands of findings costs one entry, not thousands of references.
   */
  group(g: ReadGroup): EvidenceGroupRef {
    const known = this.groupByObject.get(g);
    if (known) return known;
    const digests = [...new Set(g.reads.map((e) => this.ref(e).sha256))];
    const id = evidenceGroupId(digests);
    const complete = g.reads.every((e) => e.complete);
    if (!this.groupsById.has(id)) this.groupsById.set(id, { id, label: g.label, reads: digests, complete });
    // The group's own label and completeness: a package cites a group by id alone (layout 3),
    // and readers rebuild the reference from the group, so the two must never differ.
    const stored = this.groupsById.get(id)!;
    const ref: EvidenceGroupRef = { id, label: stored.label, size: stored.reads.length, complete: stored.complete };
    this.groupByObject.set(g, ref);
    return ref;
  }

  /** Every distinct group. */
  groups(): EvidenceGroup[] {
    return [...this.groupsById.values()];
  }

  /** Every distinct read, with its digest. */
  all(): (Evidence & { sha256: string })[] {
    return [...this.reads].map(([sha256, e]) => ({ sha256, ...e }));
  }
}
