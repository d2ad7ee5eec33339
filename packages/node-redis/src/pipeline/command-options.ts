import { RESP_TYPES } from '@redis/client';

/** How the drivers read replies: bytes stay bytes, maps come as flat arrays (see normalize-reply). */
export const COMMAND_OPTIONS = {
  typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.MAP]: Array },
} as const;
