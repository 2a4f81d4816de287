/** Every op FlowLab emits, one import away: `import * as op from './ops/index.js'`. */
export * from './elementwise.js';
export * from './shape.js';
export * from './reduce.js';
export * from './linalg.js';
export * from './integer.js';
export * from './control.js';
export { type Operand } from './operands.js';
export * from './conv.js';
export * from './nchwc.js';
export * from './nn.js';
export * from './table.js';
