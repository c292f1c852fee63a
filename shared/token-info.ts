import { z } from 'zod';

/** How the token of a profile looks (never the token itself): the engine's TokenInfo and the contract's DTO. */
export const TokenKindSchema = z.enum(['user', 'org_auth_token', 'internal_integration', 'unknown']);
export const TokenInfoSchema = z.object({
  kind: TokenKindSchema,
  scopes: z.array(z.string()),
  user: z.object({ id: z.string(), email: z.string().nullable(), has2fa: z.boolean().nullable() }).nullable(),
});
export type TokenInfoDto = z.infer<typeof TokenInfoSchema>;
/** The same, read-only, as the engine passes it around. */
export type TokenInfo = { readonly [K in keyof TokenInfoDto]: Readonly<TokenInfoDto[K]> };
