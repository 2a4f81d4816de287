import { UserError } from '../../errors.js';

/**
 * The adaptive solver used up its step budget before reaching the end time. The state it had is
 * not returned: a partial solve is never passed off as a result.
 */
export class SolverBudgetError extends UserError {
  constructor(
    message: string,
    /** The time the solver had reached when it stopped. */
    readonly tReached: number,
  ) {
    super(message);
    this.name = 'SolverBudgetError';
  }
}

/**
 * The adaptive solver's step shrank below what floating point can resolve at the current time:
 * the field is non-finite or too stiff there.
 */
export class SolverStepSizeError extends UserError {
  constructor(
    message: string,
    readonly tReached: number,
  ) {
    super(message);
    this.name = 'SolverStepSizeError';
  }
}

/** A fixed-step solve produced non-finite states (the field blew up or the step is too large). */
export class SolverNonFiniteError extends UserError {
  constructor(
    message: string,
    readonly tReached: number,
  ) {
    super(message);
    this.name = 'SolverNonFiniteError';
  }
}
