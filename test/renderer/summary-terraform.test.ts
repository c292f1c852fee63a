import { describe, expect, it } from 'vitest';
import { err } from './fake-bridge';
import { connected } from './helpers';

describe('summary: Terraform export', () => {
  it('asks for the connected profile only, and shows what was written', async () => {
    const h = await connected();
    await h.s().summary.exportTerraform();
    expect(h.bridge.callsOf('export:terraform')).toEqual([{ profileId: h.s().connect.profile!.id }]);
    const t = h.s().summary.terraform;
    expect(t.status).toBe('done');
    if (t.status === 'done') expect(t.value).toMatchObject({ saved: true, resources: 12 });
    h.dispose();
  });

  it('keeps a failure as data (the step shows it with a retry)', async () => {
    const h = await connected({ 'export:terraform': () => err('invalid_input', 'The folder is not empty') });
    await h.s().summary.exportTerraform();
    const t = h.s().summary.terraform;
    expect(t.status).toBe('failed');
    if (t.status === 'failed') expect(t.error.message).toBe('The folder is not empty');
    h.dispose();
  });
});
