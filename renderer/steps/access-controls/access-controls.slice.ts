import { createSectionSlice } from '../section/section.slice';

/** Access controls (section 2): its own fix plan, applies, undos and evidence. */
export const createAccessControlsSlice = createSectionSlice('accessControls', '2');
