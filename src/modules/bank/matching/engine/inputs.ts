/**
 * The engine's inputs besides the lines and items themselves: lines and items prepared for the naive scorer, the
 * context of a line (history, rejected items), the options of a suggestion, the name cache and the counterparty
 * (policy) key of a pairing.
 */
import { dayNumber } from '../../common/dates';
import { nameFeatures, normalizeName, type NameFeatures } from '../../../../common/names';
import type { CounterpartyHistory, Direction, MatchItem, MatchLine } from '../types';

export interface PreparedItem {
  item: MatchItem;
  day: number;
  /** The item's name features, filled on first use (the naive scorer). */
  names?: NameFeatures[];
}

export interface PreparedLine {
  line: MatchLine;
  day: number;
  abs: number;
  direction: Direction;
  names?: NameFeatures[];
  nameKey?: string;
  /** The line is a card purchase (isCardPurchase), filled on first use. */
  card?: boolean;
}

export const prepareItem = (item: MatchItem): PreparedItem => ({ item, day: dayNumber(item.date) });
export const prepareLine = (line: MatchLine): PreparedLine => ({
  line,
  day: dayNumber(line.date),
  abs: Math.abs(line.amount),
  direction: line.amount < 0 ? 'out' : 'in',
});

export interface MatchContext {
  /** Past decisions per counterparty key. */
  history?: (counterpartyKey: string) => CounterpartyHistory | undefined;
  /** Item ids already rejected for this line: never suggested again for it. */
  excluded?: ReadonlySet<string>;
}

const EMPTY_CONTEXT: MatchContext = Object.freeze({});
/**
 * No history, nothing excluded; one function for every batch (a fresh `() => ({})` per batch deoptimised the
 * batch loop at every call in V8: "wrong call target").
 */
export const noContext = (): MatchContext => EMPTY_CONTEXT;

export interface SuggestOptions {
  limit?: number;
  /** Suggestions below this confidence are dropped. */
  floor?: number;
  /** Build the why texts now (default true); false builds each on first read (batches read few of them). */
  explain?: boolean;
}

/** Normalised names by their raw string: supplier names and bank texts repeat. */
export type NameCache = (name: string) => NameFeatures;
export function nameCache(): NameCache {
  const cache = new Map<string, NameFeatures>();
  return (name) => {
    let f = cache.get(name);
    if (!f) {
      f = nameFeatures(name);
      cache.set(name, f);
    }
    return f;
  };
}

/** The counterparty a pairing belongs to (its policy key): the item's supplier, else the bank's normalised name. */
export function counterpartyKeyFor(
  line: Pick<MatchLine, 'counterpartyName' | 'text'>,
  item: Pick<MatchItem, 'counterpartyKey'> | null,
): string {
  if (item?.counterpartyKey) return item.counterpartyKey;
  const name = normalizeName(line.counterpartyName || line.text);
  return `name:${name || '-'}`;
}
