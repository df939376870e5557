/**
 * Lists whose walks charge the running rule's work budget (work-budget.ts) their length:
 * iterating, `filter`, `some`, `find`… Reading one item by index stays free, so a rule that looks
 * at the instruction before this one pays nothing, and one that walks every instruction for each
 * RUN (how a rule turns quadratic on a huge file) pays n each time. Outside a rule, free.
 *
 * A plain array with a prototype that wraps Array's walking methods: to TypeScript and to its
 * users it is an array; `filter`, `map`, `slice`… return plain arrays (the copy is the caller's).
 */
import { chargeWork } from '../work-budget';

const WALKS: Array<string | symbol> = [
  Symbol.iterator, 'entries', 'values', 'keys', 'forEach', 'filter', 'map', 'flatMap', 'some', 'every',
  'find', 'findIndex', 'findLast', 'findLastIndex', 'indexOf', 'lastIndexOf', 'includes', 'reduce', 'reduceRight', 'join',
];

const CHARGED_ARRAY: object = Object.create(Array.prototype, { constructor: { value: Array, writable: true, configurable: true } });
const arrayMethods = Array.prototype as unknown as Record<string | symbol, (...args: unknown[]) => unknown>;
for (const name of WALKS) {
  const original = arrayMethods[name];
  if (typeof original !== 'function') continue;
  Object.defineProperty(CHARGED_ARRAY, name, {
    configurable: true,
    writable: true,
    value: function (this: unknown[], ...args: unknown[]) {
      chargeWork(this.length);
      return original.apply(this, args);
    },
  });
}
Object.defineProperty(CHARGED_ARRAY, 'slice', {
  configurable: true,
  writable: true,
  value: function (this: unknown[], start?: number, end?: number) {
    const copy = Array.prototype.slice.call(this, start, end);
    chargeWork(copy.length);
    return copy;
  },
});

/** An empty list whose walks are charged; fill it with `push`. */
export function chargedList<T>(): T[] {
  return Object.setPrototypeOf([], CHARGED_ARRAY) as T[];
}
