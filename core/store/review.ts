import type { Registers, ReviewSchedule } from '../../shared/settings';

/**
 * The registers with a new package's review schedule, remembering the package before it (and its
 * signer) so the portfolio can show what drifted between the last two signed packages.
 */
export function recordReview(registers: Registers, review: ReviewSchedule): Registers {
  const prior = registers.review;
  const { previousPackage: _p, previousSignedBy: _s, ...next } = review;
  const previous =
    prior?.lastPackage && prior.lastPackage !== review.lastPackage
      ? { previousPackage: prior.lastPackage, ...(prior.signedBy ? { previousSignedBy: prior.signedBy } : {}) }
      : prior?.previousPackage && prior.previousPackage !== review.lastPackage
        ? { previousPackage: prior.previousPackage, ...(prior.previousSignedBy ? { previousSignedBy: prior.previousSignedBy } : {}) }
        : {};
  return { ...registers, review: { ...next, ...previous } };
}
