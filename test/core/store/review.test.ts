import { describe, expect, it } from 'vitest';
import { recordReview } from '../../../core/store/review';
import { emptyRegisters } from '../../../core/store/index';

const at = (d: string) => `2026-0${d}T10:00:00.000Z`;

describe('recordReview', () => {
  it('keeps the package before the last one, and its signer, for the portfolio\'s drift', () => {
    let regs = recordReview(emptyRegisters(), { nextReviewDate: at('4-01'), lastSessionAt: at('1-01'), lastPackage: '/p/1', signedBy: 'SHA256:one' });
    expect(regs.review).toEqual({ nextReviewDate: at('4-01'), lastSessionAt: at('1-01'), lastPackage: '/p/1', signedBy: 'SHA256:one' });
    regs = recordReview(regs, { nextReviewDate: at('5-01'), lastSessionAt: at('2-01'), lastPackage: '/p/2', signedBy: 'SHA256:two' });
    expect(regs.review).toMatchObject({ lastPackage: '/p/2', previousPackage: '/p/1', previousSignedBy: 'SHA256:one' });
    // Writing the same package again (the app replaces its folder) keeps the one before it.
    regs = recordReview(regs, { nextReviewDate: at('5-02'), lastSessionAt: at('2-02'), lastPackage: '/p/2', signedBy: 'SHA256:two' });
    expect(regs.review).toMatchObject({ lastPackage: '/p/2', previousPackage: '/p/1' });
    // A review as given never sets its own previous package.
    regs = recordReview(regs, { nextReviewDate: at('6-01'), lastSessionAt: at('3-01'), lastPackage: '/p/3', previousPackage: '/elsewhere' });
    expect(regs.review).toMatchObject({ lastPackage: '/p/3', previousPackage: '/p/2', previousSignedBy: 'SHA256:two' });
  });
});
