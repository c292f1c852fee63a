/** The guide's sections, in its order: one spelling for the report, the wizard and the engine. */
export const REPORT_SECTIONS: readonly { readonly id: string; readonly title: string }[] = [
  { id: '1', title: 'Authentication & SSO' },
  { id: '2', title: 'Access controls' },
  { id: '3', title: 'Data security' },
  { id: '4', title: 'Monitoring' },
  { id: 'INT', title: 'Integrations' },
];
