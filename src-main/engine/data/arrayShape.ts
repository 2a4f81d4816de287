import { UserError } from '../../errors.js';

/** Throws a UserError unless `data` holds exactly n rows of d >= 1 values (row-major [n, d]). */
export function checkShape(data: ArrayLike<number>, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 1 || data.length !== n * d) {
    throw new UserError(`array has ${data.length} values, which is not n x d = ${n} x ${d}; pass a row-major [n, d] array`);
  }
}
