import { createSectionSlice } from '../section/section.slice';

/** Integrations review (section INT): its own fix plan, applies, undos and evidence. */
export const createIntegrationsSlice = createSectionSlice('integrations', 'INT');
