import { z } from 'zod';

/** A user id: a string the type system keeps apart from every other string. */
export const UserId = z
  .string()
  .regex(/^u-\d+$/, 'must look like u-<number>')
  .brand<'UserId'>();
export type UserId = z.infer<typeof UserId>;

/** What a cached user must look like: checked when written and again when read back. */
export const UserSchema = z.object({
  id: UserId,
  name: z.string().min(1),
  email: z.email(),
  plan: z.enum(['free', 'pro']),
});
export type User = z.infer<typeof UserSchema>;

/** Stands in for the database the loaders read. */
export const database = new Map<UserId, User>(
  [
    { id: 'u-1', name: 'Ada', email: 'ada@example.com', plan: 'pro' },
    { id: 'u-2', name: 'Grace', email: 'grace@example.com', plan: 'free' },
    { id: 'u-3', name: 'Edsger', email: 'edsger@example.com', plan: 'free' },
  ].map((row) => {
    const user = UserSchema.parse(row);
    return [user.id, user];
  }),
);
