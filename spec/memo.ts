/**
 * Values worked out once per record. The spec's records are never changed in place (a changed
 * copy is a new record), so what is computed from a record stays true of it for as long as the
 * record lives; a `WeakMap` keyed by the record keeps the value exactly that long.
 *
 * @module
 */

/**
 * The value `memo` keeps for `record`, computed and kept the first time it is asked for.
 *
 * @param memo the values kept, by record
 * @param record the record
 * @param compute works the value out from the record
 * @returns the kept value
 */
export function keptFor<K extends object, V>(
  memo: WeakMap<K, V>,
  record: K,
  compute: (record: K) => V,
): V {
  let value = memo.get(record);
  if (value === undefined) {
    value = compute(record);
    memo.set(record, value);
  }
  return value;
}
