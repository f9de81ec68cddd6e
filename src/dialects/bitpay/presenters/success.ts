/**
 * The answer to an action that returns no object: without a `data` key, the one shape every SDK
 * reads as true (PHP reads `status` from the body when there is no `data`, Node and Python from the top).
 */
export const STATUS_SUCCESS = { status: 'success', message: null } as const;
