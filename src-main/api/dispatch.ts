/**
 * One call through a door: validate the request against the contract, run the handler, check
 * the result, and turn any failure into the error body the client shows.
 */
import type { ApiErrorBody, MethodName } from './contract.js';
import type { Handlers } from './implementation.js';
import { describeMethod, errorBody, validateCall, validateResult } from './validate.js';

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export type Dispatch = (method: unknown, args: unknown) => Promise<CallOutcome>;

export function createDispatch(handlers: Handlers, onInternalError?: (method: string, err: unknown) => void): Dispatch {
  return async (method, args) => {
    try {
      const call = validateCall(method, args);
      const handler = handlers[call.method as MethodName] as (a: unknown) => unknown;
      const result = await handler(call.args);
      return { ok: true, result: validateResult(call.method, result) };
    } catch (err) {
      const body = errorBody(err);
      if (body.kind === 'internal') {
        try {
          onInternalError?.(describeMethod(method), err);
        } catch {
          // a failing logger must not turn one bad call into a dead door
        }
      }
      return { ok: false, error: body };
    }
  };
}
