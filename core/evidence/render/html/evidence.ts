import type { PackageRead } from '../../../../shared/evidence';
import type { EvidenceGroup, EvidenceGroupRef, EvidenceRef } from '../../../../shared/finding';
import { queryString } from './format';
import { html } from './safe-html';
import type { SafeHtml } from './safe-html';

/**
 * How findings point at their evidence, in one place. Each read of an audit is listed once in the
 * evidence register (label R1..., B1... for the before audit); a finding links to it. A finding
 * that rests on many reads (every team roster) links one evidence set (S1...), listed once
 * too, so a page of 10,000 such findings does not repeat the same 200 links in every row.
 * A report's own evidence groups (report.json `evidenceGroups`: every team roster, say) are such
 * sets too, labelled G1... with what they hold. A read of the before audit whose pages are the very
 * responses of an after read (the same SHA-256) is that read: listed once, under its R label.
 */

/** From this many reads a finding's evidence is shown as a set. */
export const SET_MIN_READS = 4;

export interface ReadEntry {
  readonly label: string;
  readonly anchor: string;
  readonly ref: EvidenceRef;
  /** The full read with its pages, when the report lists it. */
  readonly read: PackageRead | undefined;
}

export interface EvidenceSet {
  readonly label: string;
  readonly anchor: string;
  readonly entries: readonly ReadEntry[];
  /** What a report's evidence group holds, in its words ("every team roster"); null for a set of a finding's own reads. */
  readonly description: string | null;
  /** False when a read of it is incomplete, or a group the report does not list. */
  readonly complete: boolean;
  uses: number;
}

/** What a finding's evidence resolves to: reads, or one set. */
export type EvidenceItem = ReadEntry | EvidenceSet;

export class ReadIndex {
  readonly entries: ReadEntry[] = [];
  readonly sets: EvidenceSet[] = [];
  private readonly byKey = new Map<string, ReadEntry>();
  private readonly known = new Map<string, PackageRead>();
  private readonly setByKey = new Map<string, EvidenceSet>();
  private readonly setByArray = new WeakMap<readonly EvidenceRef[], EvidenceSet>();
  private readonly groups = new Map<string, EvidenceSet>();
  private readonly groupDefs: ReadonlyMap<string, EvidenceGroup>;
  private readonly prefix: string;

  constructor(
    readonly phase: 'before' | 'after',
    reads: readonly PackageRead[],
    /** The after audit's index, for a before index: identical reads are listed there. */
    private readonly same: ReadIndex | null = null,
    groups: readonly EvidenceGroup[] = [],
  ) {
    this.prefix = phase === 'after' ? 'R' : 'B';
    this.groupDefs = new Map(groups.map((g) => [g.id, g]));
    for (const r of reads) this.known.set(r.sha256, r);
    // The register lists every read of the audit, in the report's order.
    for (const r of reads) this.entry(r);
  }

  entry(ref: EvidenceRef): ReadEntry {
    const existing = this.byKey.get(ref.sha256) ?? this.same?.byKey.get(ref.sha256);
    if (existing) return existing;
    const n = this.entries.length + 1;
    // Ids without a hyphen never meet those of Anchors (prefix-name) or the reserved words.
    const e: ReadEntry = { label: `${this.prefix}${n}`, anchor: `${this.phase === 'after' ? 'r' : 'b'}${n}`, ref, read: this.known.get(ref.sha256) };
    this.entries.push(e);
    this.byKey.set(ref.sha256, e);
    return e;
  }

  /** An evidence group of the report, listed once (G1...) in the order findings first cite it. */
  private group(ref: EvidenceGroupRef): EvidenceSet {
    let set = this.groups.get(ref.id);
    if (!set) {
      const def = this.groupDefs.get(ref.id);
      const n = this.groups.size + 1;
      const entries = (def?.reads ?? []).flatMap((sha) => {
        const read = this.known.get(sha);
        return read ? [this.entry(read)] : [];
      });
      set = {
        label: `${this.prefix === 'R' ? 'G' : 'BG'}${n}`,
        anchor: `${this.phase === 'after' ? 'g' : 'h'}${n}`,
        entries,
        description: def?.label ?? ref.label,
        // A group the report does not list, or whose reads are missing, is not complete evidence.
        complete: def !== undefined && def.complete && entries.length === def.reads.length && entries.every((e) => e.ref.complete),
        uses: 0,
      };
      this.sets.push(set);
      this.groups.set(ref.id, set);
    }
    set.uses += 1;
    return set;
  }

  /** A finding's evidence: each read (one set when there are many), then the report's groups it cites. */
  resolve(refs: readonly EvidenceRef[], groups: readonly EvidenceGroupRef[] = []): readonly EvidenceItem[] {
    const own = this.resolveReads(refs);
    return groups.length === 0 ? own : [...own, ...groups.map((g) => this.group(g))];
  }

  private resolveReads(refs: readonly EvidenceRef[]): readonly EvidenceItem[] {
    if (refs.length < SET_MIN_READS) return refs.map((r) => this.entry(r));
    let set = this.setByArray.get(refs);
    if (!set) {
      const key = refs.map((r) => r.sha256).join(',');
      set = this.setByKey.get(key);
      if (!set) {
        const n = this.setByKey.size + 1;
        const entries = refs.map((r) => this.entry(r));
        set = { label: `${this.prefix === 'R' ? 'S' : 'BS'}${n}`, anchor: `${this.phase === 'after' ? 's' : 't'}${n}`, entries, description: null, complete: entries.every((e) => e.ref.complete), uses: 0 };
        this.sets.push(set);
        this.setByKey.set(key, set);
      }
      this.setByArray.set(refs, set);
    }
    set.uses += 1;
    return [set];
  }
}

export function isSet(item: EvidenceItem): item is EvidenceSet {
  return 'entries' in item;
}

function incomplete(item: EvidenceItem): boolean {
  return isSet(item) ? !item.complete : !item.ref.complete;
}

export function requestText(ref: EvidenceRef): string {
  return `${ref.method} ${ref.endpoint}${queryString(ref.query)}`;
}

/** A link to a read or a set, with an incompleteness warning. */
export function itemLink(item: EvidenceItem): SafeHtml {
  const warn = incomplete(item) ? html` <strong class="warn">incomplete</strong>` : '';
  return html`<a href="#${item.anchor}">${item.label}</a>${warn}`;
}

/** The evidence cell of a finding row: each read with its request, or the set with its size. */
export function evidenceCell(items: readonly EvidenceItem[]): SafeHtml {
  if (items.length === 0) return html`<span class="muted">No API read (not visible through the API)</span>`;
  return html`${items.map((item) =>
    isSet(item)
      ? html`<div class="ev">${itemLink(item)} <span class="muted">${item.description ? `${item.description}, ` : ''}(${item.entries.length} reads)</span></div>`
      : html`<div class="ev">${itemLink(item)} <code>${requestText(item.ref)}</code></div>`,
  )}`;
}

/** Short links only (B3, S2), for the before audit's note in a row and for folded lists. */
export function itemLinks(items: readonly EvidenceItem[]): SafeHtml {
  return html`${items.map((item, i) => html`${i > 0 ? ', ' : ''}${itemLink(item)}`)}`;
}
