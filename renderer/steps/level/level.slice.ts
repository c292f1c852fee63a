import type { Level } from '../../../shared/levels';
import type { Profile } from '../../store/dto';
import type { SliceCreator } from '../../store/slice';
import type { Status } from '../../store/status';
import { IDLE, call, failed, running, settle } from '../../store/status';

/** Step 2: the profile level. Saved into the connection so a resumed session keeps it. */
export interface LevelSlice {
  readonly level: Level;
  readonly save: Status<Profile>;
  choose(level: Level): Promise<void>;
  /** The level of a restored session (already saved: nothing is written). */
  restore(level: Level): void;
}

export const createLevelSlice: SliceCreator<'level'> = ({ set, get, bridge }) => ({
  level: 'L1',
  save: IDLE,

  restore(level) {
    set({ level, save: IDLE });
  },

  async choose(level) {
    set({ level });
    const profile = get().connect.profile;
    if (!profile) return;
    set({ save: running(null) });
    const { id, label, baseUrl, orgSlug, caFile } = profile;
    const saved = await call(() =>
      bridge.invoke['profile:save']({ profile: { id, label, baseUrl, orgSlug, level, ...(caFile ? { caFile } : {}) } }),
    );
    // A later choice wins over an earlier answer.
    if (get().level.level !== level) return;
    set({ save: saved.ok ? settle({ ok: true, value: saved.value.profile }) : failed(saved.error) });
  },
});
