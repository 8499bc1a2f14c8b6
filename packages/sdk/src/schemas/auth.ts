import * as z from 'zod/mini';
import { usernameSchema } from './common.js';

export const tokenPairSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.enum(['bearer']),
  expires_in: z.int(),
  refresh_expires_in: z.optional(z.int()),
});

export const userSchema = z.looseObject({
  id: z.string(),
  username: usernameSchema,
  display_name: z.string(),
  // `format: email` is an annotation in OpenAPI 3.1, and any email regex rejects some
  // real addresses; a user we cannot parse would lock them out of the client.
  email: z.optional(z.nullable(z.string())),
  roles: z.array(z.enum(['admin', 'member', 'viewer'])),
});
