import type { ErrorInfo } from '../../shared/errors';
import { JournalError } from '../engine/journal';
import { PlanError } from '../engine/plan';
import { RebuildError } from '../engine/rebuild';
import { FixParamError } from '../fixes/types';
import { AppError } from './errors';

export function appError(code: ErrorInfo['code'], message: string): AppError {
  return new AppError(code, message);
}

/** Engine errors that are the person's to fix become `invalid_input`; Sentry's keep their code. */
export function mapEngineError(e: unknown): unknown {
  if (e instanceof FixParamError || e instanceof PlanError || e instanceof RebuildError) return appError('invalid_input', e.message);
  if (e instanceof JournalError) return appError('internal', e.message);
  return e;
}
