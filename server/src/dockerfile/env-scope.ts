/**
 * The ENV in force at each instruction, without a map per ENV: copying a growing map at every
 * ENV made a long Dockerfile cost ENVs² in time and memory (rules read the environment of every
 * RUN). A stage keeps its ENV definitions once, in order, with an index by name; the
 * environment at an instruction is a view of the first `count` of them over the environment the
 * stage started from. `get` is a binary search; only iterating a view builds a map.
 */
import { chargeWork } from '../work-budget';
import { work } from '../work-counters';

interface Definition { key: string; value: string }

/** The ENV definitions of one stage, over the environment it inherits. */
export class EnvChain {
  private readonly ordered: Definition[] = [];
  /** Per name, the positions in `ordered` that define it, ascending. */
  private readonly positions = new Map<string, number[]>();
  /** Inherited values by name, looked up once (a stage can build on a long chain of stages). */
  private readonly inheritedCache = new Map<string, string | undefined>();

  constructor(private readonly inherited?: EnvView) {
    inherited?.keepMaterialized();
  }

  /** Adds an ENV's definitions; returns the view for the instructions after it. */
  define(pairs: ReadonlyArray<[string, string]>): EnvView {
    for (const [key, value] of pairs) {
      const list = this.positions.get(key);
      if (list) list.push(this.ordered.length);
      else this.positions.set(key, [this.ordered.length]);
      this.ordered.push({ key, value });
    }
    return this.view();
  }

  /** The environment after the definitions so far. */
  view(): EnvView {
    return new EnvView(this, this.ordered.length);
  }

  /** The value of `key` after the first `count` definitions. */
  lookup(key: string, count: number): string | undefined {
    const list = this.positions.get(key);
    if (list && list[0] < count) {
      let low = 0;
      let high = list.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (list[mid] < count) low = mid;
        else high = mid - 1;
      }
      return this.ordered[list[low]].value;
    }
    if (!this.inherited) return undefined;
    if (!this.inheritedCache.has(key)) this.inheritedCache.set(key, this.inherited.get(key));
    return this.inheritedCache.get(key);
  }

  /** The last map built, kept: a rule reads one RUN's environment several times in a row. */
  private last?: { count: number; map: Map<string, string> };

  /** Every variable after the first `count` definitions, in the order a Map built by `set` keeps. */
  materialize(count: number): Map<string, string> {
    if (this.last?.count === count) return this.last.map;
    const map = new Map(this.inherited?.entries());
    for (let k = 0; k < count; k++) map.set(this.ordered[k].key, this.ordered[k].value);
    work.envEntriesMaterialized += map.size;
    this.last = { count, map };
    return map;
  }
}

/** The environment in force at an instruction. */
export class EnvView implements ReadonlyMap<string, string> {
  private map?: Map<string, string>;
  private keep = false;

  constructor(private readonly chain: EnvChain, private readonly count: number) {}

  get(key: string): string | undefined {
    chargeWork(1);
    return this.chain.lookup(key, this.count);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.all().size;
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    this.all().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, string]> {
    return this.all().entries();
  }

  keys(): MapIterator<string> {
    return this.all().keys();
  }

  values(): MapIterator<string> {
    return this.all().values();
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  /** A stage builds on this environment: keep its map once built, the stage's views start from it. */
  keepMaterialized(): void {
    this.keep = true;
  }

  /**
   * Every variable, built when asked; reading them costs work in proportion to their number.
   * Kept for the environments stages inherit, and the chain keeps the last one built; a map kept
   * for each RUN a rule iterates made a long file hold ENVs² entries while the editor kept its parse.
   */
  private all(): Map<string, string> {
    const map = this.map ?? this.chain.materialize(this.count);
    if (this.keep) this.map = map;
    chargeWork(map.size);
    return map;
  }
}
