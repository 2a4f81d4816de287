/**
 * A minimal, safe reader of the Python pickles CIFAR-10's python batches are: a dict of byte or
 * text keys holding strings, lists of ints and one numpy array. It interprets only the opcodes
 * those files use (protocols 2-4: as Python 2's cPickle wrote the published files, and as
 * Python 3 writes the same dict) and only four GLOBALs, each turned into plain data, never called:
 *   numpy.core.multiarray._reconstruct (or numpy._core...), numpy.ndarray -> a PyArray,
 *   numpy.dtype -> its descr ('u1', ...), _codecs.encode(text, 'latin1') -> bytes
 *   (how Python 3 writes bytes at protocol 2).
 * Anything else is refused with an error naming the file; nothing in the file is executed.
 */
import { UserError } from '../../../errors.js';

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export class PyGlobal {
  constructor(readonly name: string) {}
}
/** numpy.dtype(descr) after its __setstate__: byte order '<', '>', '|' or '='. */
export class PyDtype {
  byteOrder = '|';
  constructor(readonly descr: string) {}
}
/** A numpy array: shape, dtype, and its raw bytes in C order (a view into the file). */
export class PyArray {
  shape: number[] = [];
  dtype: PyDtype | null = null;
  fortranOrder = false;
  data: Uint8Array = new Uint8Array(0);
}
export type PyValue = null | boolean | number | string | Uint8Array | PyValue[] | PyTuple | Map<string, PyValue> | PyGlobal | PyDtype | PyArray;

const ALLOWED_GLOBALS = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  '_codecs.encode',
]);

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Decodes a pickle; `source` names the file in errors. */
export function readPickle(bytes: Uint8Array, source: string): PyValue {
  const bad = (why: string) => new UserError(`${source}: ${why}; FlowLab reads CIFAR-10's python batches (cifar-10-python.tar.gz) only`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  let pos = 0;
  const need = (k: number) => {
    if (pos + k > bytes.length) throw bad(`the pickle is cut short at byte ${pos}`);
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = Number(view.getBigUint64(pos, true));
    pos += 8;
    return v;
  };
  const take = (k: number) => (need(k), (pos += k), bytes.subarray(pos - k, pos));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw bad(`a GLOBAL name is not terminated at byte ${pos}`);
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw bad(`the pickle's stack is malformed at byte ${pos}`);
    return v;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw bad(`the pickle's stack is malformed at byte ${pos}`);
    return v;
  };
  const popMark = (): PyValue[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) throw bad(`no MARK before byte ${pos}`);
    const items = stack.splice(k) as PyValue[];
    items.shift();
    return items;
  };
  const global = (name: string): PyGlobal => {
    if (!ALLOWED_GLOBALS.has(name)) throw bad(`it refers to the Python object '${name}', which FlowLab does not load`);
    return new PyGlobal(name);
  };
  const setItems = (dict: PyValue, items: PyValue[]) => {
    if (!(dict instanceof Map)) throw bad(`SETITEM on something other than a dict at byte ${pos}`);
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = items[i];
      dict.set(key instanceof Uint8Array ? latin1.decode(key) : String(key), items[i + 1]);
    }
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const p = u8();
        if (p < 2 || p > 4) throw bad(`pickle protocol ${p} (2 to 4 are read)`);
        break;
      }
      case 0x95: u64(); break; // FRAME: a length hint only
      case 0x2e: return pop(); // STOP
      case 0x28: stack.push(MARK); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x55: stack.push(take(u8())); break; // SHORT_BINSTRING (Python 2 str: bytes)
      case 0x54: stack.push(take(u32())); break; // BINSTRING
      case 0x43: stack.push(take(u8())); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32())); break; // BINBYTES
      case 0x8e: stack.push(take(u64())); break; // BINBYTES8
      case 0x8c: stack.push(utf8.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x58: stack.push(utf8.decode(take(u32()))); break; // BINUNICODE
      case 0x8d: stack.push(utf8.decode(take(u64()))); break; // BINUNICODE8
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: // BINGET
      case 0x6a: { // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) throw bad(`memo entry ${k} is read before it is written`);
        stack.push(memo.get(k) as PyValue);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) throw bad(`APPEND to something other than a list at byte ${at}`);
        list.push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) throw bad(`APPENDS to something other than a list at byte ${at}`);
        for (const v of items) list.push(v);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x63: stack.push(global(`${line()}.${line()}`)); break; // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        stack.push(global(`${String(module)}.${String(name)}`));
        break;
      }
      case 0x52: { // REDUCE: only the allowed constructors, as data
        const args = pop();
        const fn = pop();
        if (!(fn instanceof PyGlobal) || !(args instanceof PyTuple)) throw bad(`REDUCE of something other than a known constructor at byte ${at}`);
        stack.push(construct(fn.name, args.items, bad));
        break;
      }
      case 0x62: { // BUILD: __setstate__ of an array or dtype
        const state = pop();
        const obj = top();
        if (!(state instanceof PyTuple)) throw bad(`BUILD with a state that is not a tuple at byte ${at}`);
        setState(obj, state.items, bad);
        break;
      }
      default:
        throw bad(`pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at} is not one these files use`);
    }
  }
}

function construct(name: string, args: PyValue[], bad: (why: string) => UserError): PyValue {
  if (name.endsWith('._reconstruct')) {
    if (!(args[0] instanceof PyGlobal && args[0].name === 'numpy.ndarray')) throw bad('_reconstruct of something other than numpy.ndarray');
    return new PyArray();
  }
  if (name === 'numpy.dtype') {
    if (typeof args[0] !== 'string' && !(args[0] instanceof Uint8Array)) throw bad('numpy.dtype without a type code');
    return new PyDtype(typeof args[0] === 'string' ? args[0] : new TextDecoder('latin1').decode(args[0]));
  }
  if (name === '_codecs.encode') {
    const [text, encoding] = args;
    if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) throw bad("_codecs.encode other than (text, 'latin1')");
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 255) throw bad('latin1 text with a character above 255');
      out[i] = c;
    }
    return out;
  }
  throw bad(`REDUCE of ${name}`);
}

/** ndarray.__setstate__((version, shape, dtype, is_fortran, data)) and dtype.__setstate__((version, byteorder, ...)). */
function setState(obj: PyValue, state: PyValue[], bad: (why: string) => UserError): void {
  if (obj instanceof PyDtype) {
    const order = state[1];
    obj.byteOrder = order instanceof Uint8Array ? new TextDecoder('latin1').decode(order) : String(order);
    return;
  }
  if (!(obj instanceof PyArray)) throw bad('BUILD of something other than a numpy array or dtype');
  const [, shape, dtype, fortran, data] = state.length === 5 ? state : [null, ...state];
  if (!(shape instanceof PyTuple) || !shape.items.every((k) => typeof k === 'number')) throw bad('a numpy array without a shape');
  if (!(dtype instanceof PyDtype)) throw bad('a numpy array without a dtype');
  if (!(data instanceof Uint8Array)) throw bad('a numpy array whose data are not raw bytes (an object array?)');
  obj.shape = shape.items as number[];
  obj.dtype = dtype;
  obj.fortranOrder = fortran === true;
  obj.data = data;
}
