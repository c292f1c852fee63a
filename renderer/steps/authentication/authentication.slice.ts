import { createSectionSlice } from '../section/section.slice';

/** Authentication & SSO (section 1): its own fix plan, applies, undos and evidence. */
export const createAuthenticationSlice = createSectionSlice('authentication', '1');
