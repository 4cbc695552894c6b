/** Appends `value` to the list `map` holds under `key` (in place: building a group costs O(1) per item). */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
