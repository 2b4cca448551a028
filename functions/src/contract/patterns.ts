/** The one pattern of a document id we mint (thread ids `web_…`, `bm_…`; message ids). Dependency-free. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
