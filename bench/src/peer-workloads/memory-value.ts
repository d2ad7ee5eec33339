/** A decoded JSON value of about 1 KB serialized, distinct per `i`. */
export function kilobyteValue(i: number): Record<string, unknown> {
  return {
    id: i,
    name: `user-${i}`,
    email: `user-${i}@example.com`,
    active: i % 2 === 0,
    score: i * 1.5,
    tags: ['alpha', 'beta', 'gamma', 'delta'],
    address: { street: `${i} Long Street`, city: 'Springfield', zip: String(10_000 + (i % 90_000)) },
    bio: `${'lorem ipsum dolor sit amet '.repeat(30)}${i}`.slice(0, 811),
  };
}
