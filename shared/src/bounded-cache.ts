/**
 * The one bounded cache of computed values: past `max` entries the oldest goes first. For what is
 * read again at every check from the same few texts (a .dockerignore, a RUN line, a manifest, a
 * COPY source): a handful is worth keeping, every version ever typed is not.
 */
export function remember<K, V>(map: Map<K, V>, key: K, make: () => V, max: number): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= max) map.delete(map.keys().next().value as K);
    map.set(key, value);
  }
  return value;
}
