/** How a request's query `token` compared with its bin's token. */
export const TOKEN_STATUSES = ['none', 'valid', 'invalid', 'missing'] as const;
