// The header fields of a scanned document by name, and each address field's parsed list, computed once per
// scanned document and shared by the rules, the envelope and the final bytes (a WeakMap keyed by the scan:
// whoever holds the same scan gets the same parse, and it goes when the scan goes).
import { parseAddressList } from './addresses';
import type { AddressListResult, HeaderField, ScannedMessage } from './types';

export interface HeaderIndex {
  /** Fields with a colon, by lowercase name, in document order. */
  fieldsByKey: Map<string, HeaderField[]>;
  /** The fields named `key` (lowercase), in order; empty when there are none. */
  named(key: string): HeaderField[];
  /** The field's value parsed as an address list (offsets in document coordinates). */
  addressesOf(field: HeaderField): AddressListResult;
}

const indexes = new WeakMap<ScannedMessage, HeaderIndex>();
const NONE: HeaderField[] = [];

export function indexHeaders(scanned: ScannedMessage): HeaderIndex {
  let index = indexes.get(scanned);
  if (index) return index;
  const fieldsByKey = new Map<string, HeaderField[]>();
  for (const field of scanned.fields) {
    if (!field.hasColon) continue;
    const list = fieldsByKey.get(field.key);
    if (list) list.push(field);
    else fieldsByKey.set(field.key, [field]);
  }
  const parsed = new Map<HeaderField, AddressListResult>();
  index = {
    fieldsByKey,
    named: (key) => fieldsByKey.get(key) ?? NONE,
    addressesOf(field) {
      let list = parsed.get(field);
      if (!list) {
        list = parseAddressList(field.rawValue, field.valueStart);
        parsed.set(field, list);
      }
      return list;
    },
  };
  indexes.set(scanned, index);
  return index;
}
