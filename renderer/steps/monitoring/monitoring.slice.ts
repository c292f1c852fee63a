import { createSectionSlice } from '../section/section.slice';

/** Monitoring & audit logs (section 4): its own fix plan, applies, undos and evidence. */
export const createMonitoringSlice = createSectionSlice('monitoring', '4');
