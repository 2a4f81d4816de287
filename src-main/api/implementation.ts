/** The shape of an implementation of the contract: one handler per method (service/handlers.ts). */
import type { MethodName, ResultOf } from './contract.js';
import type { ValidCall } from './validate.js';

export type Handler<M extends MethodName> = (args: ValidCall<M>['args']) => Promise<ResultOf<M>> | ResultOf<M>;
export type Handlers = { [M in MethodName]: Handler<M> };
