import { createSectionSlice } from '../section/section.slice';

/** Data security (section 3): its own fix plan, applies, undos and evidence. */
export const createDataSecuritySlice = createSectionSlice('dataSecurity', '3');
