/**
 * The one validation every door runs: a call's method must exist and its arguments match the
 * contract; results and events are checked on the way out, so a door never sends what the
 * contract does not promise.
 */
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { METHODS, type ApiErrorBody, type MethodName } from './contract.js';
import { apiEvent, type ApiEvent } from './events.js';

/** A request that breaks the contract (unknown method, wrong argument shape). */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}

/** First issue of a zod error as one line: "args.config.train.steps: expected number". */
function describeIssue(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].join('.');
  return `${path}: ${issue.message}`;
}

export interface ValidCall<M extends MethodName = MethodName> {
  method: M;
  args: z.output<(typeof METHODS)[M]['args']>;
}

/** Longest part of an unknown method name echoed back in the error (a name can be megabytes). */
const MAX_ECHOED_NAME = 80;

/** How a call's method value is named in an error, whatever the client sent (never its own toString). */
export function describeMethod(method: unknown): string {
  if (typeof method !== 'string') return `(a ${method === null ? 'null' : Array.isArray(method) ? 'array' : typeof method}, not a method name)`;
  return method.length > MAX_ECHOED_NAME ? `${method.slice(0, MAX_ECHOED_NAME)}... (${method.length} characters)` : method;
}

/** Checks a call against the contract; throws ContractError naming the first problem. */
export function validateCall(method: unknown, args: unknown): ValidCall {
  if (typeof method !== 'string') throw new ContractError(`a call's method must be a string naming an API method, got ${describeMethod(method)}`);
  if (!isMethodName(method)) {
    throw new ContractError(`unknown method '${describeMethod(method)}'`);
  }
  const parsed = METHODS[method].args.safeParse(args ?? {});
  if (!parsed.success) throw new ContractError(`${method}: ${describeIssue('args', parsed.error)}`);
  return { method, args: parsed.data } as ValidCall;
}

/** Checks a handler's result; a mismatch is a bug on our side, reported as such. */
export function validateResult(method: MethodName, result: unknown): unknown {
  const parsed = METHODS[method].result.safeParse(result);
  if (!parsed.success) throw new Error(`${method} returned a result outside the contract: ${describeIssue('result', parsed.error)}`);
  return parsed.data;
}

export function validateEvent(event: unknown): ApiEvent {
  const parsed = apiEvent.safeParse(event);
  if (!parsed.success) throw new Error(`event outside the contract: ${describeIssue('event', parsed.error)}`);
  return parsed.data;
}

/** The error body a door sends back for a failed call. */
export function errorBody(err: unknown): ApiErrorBody {
  if (err instanceof ContractError) return { kind: 'invalid', message: err.message };
  if (err instanceof UserError) return { kind: 'user', message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message };
}
