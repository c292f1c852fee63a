import type { Attestation, ExceptionEntry } from '../../shared/settings';
import type { IntegrationEntryDraft } from '../steps/integrations/integration-register';
import { integrationEntryErrors, toRegisterEntry, withEntry } from '../steps/integrations/integration-register';
import type { Registers } from './dto';
import type { SliceCreator } from './slice';
import type { Status } from './status';
import { IDLE, call, done, failed, running, settle } from './status';

export interface AttestationInput {
  readonly control: string;
  readonly statement: string;
  readonly attestedBy: string;
}

export interface ExceptionInput {
  readonly control: string;
  readonly check?: string;
  readonly resource?: string;
  readonly reason: string;
  /** Who is accountable for the accepted risk. */
  readonly owner?: string;
  readonly approvedBy: string;
  /** yyyy-mm-dd from a date input. */
  readonly expiresOn?: string;
}

/**
 * The profile's registers: attestations for manual items, exceptions for accepted risk and the
 * integration permission register. Shared by the section steps and the summary; saved whole with
 * `register:save`, each change merged into what was loaded so no other register is dropped.
 */
export interface RegistersSlice {
  readonly registers: Status<Registers>;
  /** The last save; its error is shown next to the form that caused it. */
  readonly save: Status<Registers, { readonly what: string }>;
  load(): Promise<void>;
  attest(input: AttestationInput): Promise<boolean>;
  withdrawAttestation(id: string): Promise<boolean>;
  addException(input: ExceptionInput): Promise<boolean>;
  removeException(id: string): Promise<boolean>;
  /** Records (or replaces) one integration's register entry; false, sending nothing, when the draft is invalid. */
  recordIntegration(draft: IntegrationEntryDraft): Promise<boolean>;
}

export const createRegistersSlice: SliceCreator<'registers'> = ({ set, get, bridge, now, newId }) => {
  const self = () => get().registers;

  async function write(what: string, change: (current: Registers) => Registers): Promise<boolean> {
    const profile = get().connect.profile;
    const current = self().registers;
    if (!profile || current.status !== 'done' || self().save.status === 'running') return false;
    set({ save: running({ what }) });
    const result = await call(() => bridge.invoke['register:save']({ profileId: profile.id, registers: change(current.value) }));
    if (!result.ok) {
      set({ save: failed(result.error) });
      return false;
    }
    set({ save: done(result.value.registers), registers: done(result.value.registers) });
    // Main counts accepted risks and attestations per check: the rows shown ask again.
    void get().findings.refresh();
    return true;
  }

  return {
    registers: IDLE,
    save: IDLE,

    async load() {
      const profile = get().connect.profile;
      if (!profile) return;
      set({ registers: running(null) });
      const result = await call(() => bridge.invoke['register:get']({ profileId: profile.id }));
      set({ registers: result.ok ? done(result.value.registers) : settle(result) });
    },

    attest(input) {
      const entry: Attestation = {
        id: newId(),
        control: input.control,
        statement: input.statement.trim(),
        attestedBy: input.attestedBy.trim(),
        attestedAt: now().toISOString(),
      };
      return write('attestation', (r) => ({ ...r, attestations: [...r.attestations, entry] }));
    },

    withdrawAttestation(id) {
      return write('attestation', (r) => ({ ...r, attestations: r.attestations.filter((a) => a.id !== id) }));
    },

    addException(input) {
      const entry: ExceptionEntry = {
        id: newId(),
        control: input.control,
        ...(input.check ? { check: input.check } : {}),
        ...(input.resource ? { resource: input.resource } : {}),
        reason: input.reason.trim(),
        ...(input.owner?.trim() ? { owner: input.owner.trim() } : {}),
        approvedBy: input.approvedBy.trim(),
        ...(input.expiresOn ? { expiresAt: new Date(`${input.expiresOn}T23:59:59Z`).toISOString() } : {}),
        createdAt: now().toISOString(),
      };
      return write('exception', (r) => ({ ...r, exceptions: [...r.exceptions, entry] }));
    },

    removeException(id) {
      return write('exception', (r) => ({ ...r, exceptions: r.exceptions.filter((e) => e.id !== id) }));
    },

    async recordIntegration(draft) {
      if (Object.keys(integrationEntryErrors(draft)).length > 0) return false;
      const entry = toRegisterEntry(draft);
      return write(`integration ${entry.integration}`, (r) => ({ ...r, integrationRegister: withEntry(r.integrationRegister, entry) }));
    },
  };
};
