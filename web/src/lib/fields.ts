/** A grant's fields as a bitmask over the dataset's fields (bit i = field i), and back. */

/** The fields a field mask grants, in bit order. */
export function fieldsFromMask(mask: bigint, fields: readonly string[]): string[] {
  return fields.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

export function maskFromFields(chosen: readonly string[], fields: readonly string[]): bigint {
  return fields.reduce((m, f, i) => (chosen.includes(f) ? m | (1n << BigInt(i)) : m), 0n);
}
